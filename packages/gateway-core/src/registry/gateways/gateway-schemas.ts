import { z } from 'zod';
import { authInputFields } from '../auth/auth-settings.js';
import { commonInputFields, commonOutputSchema } from '../common/common-fields.js';
import { headersSchema } from '../tools/tool-schemas.js';

/**
 * How the gateway talks to the upstream. STDIO runs `command` with `args` locally; REVERSEPROXY relays
 * over the WebSocket tunnel of a connected `mcp-reverse-proxy` (such gateways are created by the tunnel,
 * never through the REST API).
 */
export const transportSchema = z.enum(['SSE', 'STREAMABLEHTTP', 'WEBSOCKET', 'STDIO', 'REVERSEPROXY']);

const USER_TRANSPORTS = ['SSE', 'STREAMABLEHTTP', 'WEBSOCKET', 'STDIO'] as const;

/** The transports a REST client may choose (REVERSEPROXY is refused with a message saying why). */
export const userTransportSchema = z.enum(USER_TRANSPORTS, {
  error: (issue) =>
    issue.input === 'REVERSEPROXY'
      ? 'REVERSEPROXY gateways are created by mcp-reverse-proxy connections to WS /reverse-proxy/ws, not through the REST API'
      : `must be one of ${USER_TRANSPORTS.join(', ')}`,
});

const upstreamUrl = z
  .url({ protocol: /^(https?|wss?)$/, error: 'must be an http(s) or ws(s) URL' })
  .max(2048)
  .refine((u) => !new URL(u).username && !new URL(u).password, {
    message: 'must not contain credentials (use the auth_* fields, which are stored encrypted)',
  });

const gatewayFields = {
  url: upstreamUrl.nullable().optional(),
  transport: userTransportSchema.optional(),
  command: z.string().min(1).max(4096).nullable().optional(),
  args: z.array(z.string().max(4096)).max(256).optional(),
  headers: headersSchema.optional(),
  // `Name` forwards a client header as is; `Client-Name:Upstream-Name` forwards it under another name.
  passthrough_headers: z
    .array(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}(:[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128})?$/))
    .max(64)
    .nullable()
    .optional(),
  // false: the gateway's tools and prompts keep their upstream names (no `<slug><sep>` prefix), which must
  // then be unique in the registry (a clash fails discovery with 409).
  prefix_names: z.boolean().optional(),
  ...authInputFields,
  ...commonInputFields,
};

/** Body of `POST /v1/gateways`. */
export const gatewayCreateSchema = z.object({ name: z.string().min(1).max(255), ...gatewayFields }).strict();

/** Body of `PUT /v1/gateways/{id}` (any subset). Renaming changes the slug and so every tool's prefix. */
export const gatewayUpdateSchema = z
  .object({ name: z.string().min(1).max(255).optional(), ...gatewayFields })
  .strict();

/** A create as the registry takes it (import, reverse-proxy tunnels): every stored transport allowed. */
export const gatewayRecordCreateSchema = gatewayCreateSchema.extend({
  transport: transportSchema.optional(),
});

/** An update as the registry takes it (import): every stored transport allowed. */
export const gatewayRecordUpdateSchema = gatewayUpdateSchema.extend({
  transport: transportSchema.optional(),
});

/** Parsed create input (the REST body is a subset). */
export type GatewayCreate = z.output<typeof gatewayRecordCreateSchema>;
/** Parsed update input (the REST body is a subset). */
export type GatewayUpdate = z.output<typeof gatewayRecordUpdateSchema>;

/** A gateway as the API returns it (credentials masked). */
export const gatewayOutputSchema = z.object({
  ...commonOutputSchema,
  name: z.string(),
  url: z.string().nullable(),
  transport: transportSchema,
  command: z.string().nullable(),
  args: z.array(z.string()),
  headers: z.record(z.string(), z.string()),
  passthrough_headers: z.array(z.string()).nullable(),
  prefix_names: z.boolean(),
  auth_type: z.string(),
  capabilities: z.record(z.string(), z.unknown()),
  reachable: z.boolean(),
  last_seen: z.string().nullable(),
  last_health_check: z.string().nullable(),
  consecutive_failures: z.number().int(),
  last_error: z.string().nullable(),
});
/** A gateway as the API returns it. */
export type GatewayOutput = z.output<typeof gatewayOutputSchema> & Record<string, unknown>;
