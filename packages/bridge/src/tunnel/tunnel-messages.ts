import { z } from 'zod';

/**
 * Reverse-tunnel protocol between `mcp-reverse-proxy` (client, behind NAT) and a gateway's
 * `/reverse-proxy/ws` endpoint. Every WebSocket text frame is one JSON envelope
 * `{ type, sessionId, payload? }` (the shape ContextForge's reverse proxy uses). The client
 * authenticates with `Authorization: Bearer <token>` on the upgrade, then sends `register`; the
 * gateway forwards MCP messages as `request`/`notification` and the client answers with
 * `response`/`notification` (server-initiated requests travel as `request` too, in the other
 * direction). Either side sends `heartbeat` periodically; `error` reports a problem; `unregister`
 * ends the registration cleanly.
 */
export const TUNNEL_PROTOCOL_VERSION = 1;

const jsonRpcPayload = z.looseObject({ jsonrpc: z.literal('2.0') });

const base = { sessionId: z.string().min(1).max(200) };

/** Client → gateway: announce the local server. */
export const RegisterMessageSchema = z.object({
  type: z.literal('register'),
  ...base,
  payload: z.object({
    protocolVersion: z.number().int().default(TUNNEL_PROTOCOL_VERSION),
    server: z.object({
      name: z.string().min(1).max(200),
      description: z.string().max(2000).optional(),
      version: z.string().max(100).optional(),
      protocol: z.literal('stdio').default('stdio'),
    }),
    /** The local server's `initialize` result (capabilities, serverInfo), when known. */
    capabilities: z.record(z.string(), z.unknown()).optional(),
    serverInfo: z.record(z.string(), z.unknown()).optional(),
    tags: z.array(z.string().max(100)).max(50).optional(),
  }),
});

/** Gateway → client: registration accepted (`payload.ok`) or refused. */
export const RegisteredMessageSchema = z.object({
  type: z.literal('registered'),
  ...base,
  payload: z.object({ ok: z.boolean(), gatewayId: z.string().optional(), message: z.string().optional() }),
});

/** Client → gateway: the local server is going away. */
export const UnregisterMessageSchema = z.object({
  type: z.literal('unregister'),
  ...base,
  payload: z.object({ reason: z.string().max(500).optional() }).optional(),
});

/** Either way: liveness. */
export const HeartbeatMessageSchema = z.object({
  type: z.literal('heartbeat'),
  ...base,
  payload: z.object({ timestamp: z.number() }).optional(),
});

/** Either way: a JSON-RPC request (gateway → local server, or server-initiated back). */
export const RequestMessageSchema = z.object({
  type: z.literal('request'),
  ...base,
  payload: jsonRpcPayload,
});

/** Either way: a JSON-RPC response. */
export const ResponseMessageSchema = z.object({
  type: z.literal('response'),
  ...base,
  payload: jsonRpcPayload,
});

/** Either way: a JSON-RPC notification. */
export const NotificationMessageSchema = z.object({
  type: z.literal('notification'),
  ...base,
  payload: jsonRpcPayload,
});

/** Either way: a problem report (bad frame, refused registration, local server down). */
export const ErrorMessageSchema = z.object({
  type: z.literal('error'),
  ...base,
  payload: z.object({ code: z.string().max(100), message: z.string().max(2000) }),
});

/** Any tunnel message. */
export const TunnelMessageSchema = z.discriminatedUnion('type', [
  RegisterMessageSchema,
  RegisteredMessageSchema,
  UnregisterMessageSchema,
  HeartbeatMessageSchema,
  RequestMessageSchema,
  ResponseMessageSchema,
  NotificationMessageSchema,
  ErrorMessageSchema,
]);

/** Any tunnel message (TypeScript type). */
export type TunnelMessage = z.infer<typeof TunnelMessageSchema>;
/** `register` message. */
export type RegisterMessage = z.infer<typeof RegisterMessageSchema>;
/** `registered` acknowledgement. */
export type RegisteredMessage = z.infer<typeof RegisteredMessageSchema>;
/** `unregister` message. */
export type UnregisterMessage = z.infer<typeof UnregisterMessageSchema>;
/** `heartbeat` message. */
export type HeartbeatMessage = z.infer<typeof HeartbeatMessageSchema>;
/** `request` message. */
export type RequestMessage = z.infer<typeof RequestMessageSchema>;
/** `response` message. */
export type ResponseMessage = z.infer<typeof ResponseMessageSchema>;
/** `notification` message. */
export type NotificationMessage = z.infer<typeof NotificationMessageSchema>;
/** `error` message. */
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;

/**
 * Parses one WebSocket frame into a tunnel message.
 *
 * @returns the message, or a string naming what is wrong (field path and problem)
 */
export function parseTunnelMessage(frame: string): TunnelMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch (error) {
    return `frame is not valid JSON: ${(error as Error).message}`;
  }
  const result = TunnelMessageSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return `invalid tunnel message at "${issue?.path.join('.') || '(root)'}": ${issue?.message ?? 'unknown problem'}`;
}
