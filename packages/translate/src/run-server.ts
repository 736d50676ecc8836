import { BridgeServer, type BridgeServerOptions } from '@contextforge/bridge';

/** A running bridge server and how to stop it. */
export interface RunningServer {
  server: BridgeServer;
  url: string;
  /** Stops the server and ends every child process group. */
  stop(): Promise<void>;
}

/**
 * Starts a bridge server, logs where each transport listens (stderr), and stops gracefully on
 * SIGINT/SIGTERM (ending every child process group) before the process exits.
 */
export async function runServer(options: BridgeServerOptions, handleSignals = true): Promise<RunningServer> {
  const server = new BridgeServer(options);
  const { url } = await server.listen();
  const log = options.logger;
  if (options.streamableHttp) log?.info(`streamable HTTP on ${url}${options.streamableHttp.path}`);
  if (options.sse) log?.info(`SSE on ${url}${options.sse.ssePath} (messages: ${options.sse.messagePath})`);
  if (options.websocket) log?.info(`WebSocket on ${url.replace(/^http/, 'ws')}${options.websocket.path}`);
  log?.info(`health on ${url}${options.healthPath ?? '/healthz'}`);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= server.close();
    return stopping;
  };
  if (handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      log?.info(`${signal} received; shutting down`);
      void stop().then(() => process.exit(0));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return { server, url, stop };
}
