// One gateway replica as a process of its own (the multi-replica tests): configured from its environment
// only, it listens on 127.0.0.1 (a free port), prints ONE JSON line `{"url","token"}` on stdout (the token is
// a session token of the bootstrap administrator) and closes gracefully on SIGTERM. Logs go to stderr.
// It runs the package's build (dist), exactly what an operator runs.
import { createGateway, createLogger, parseConfig } from '../../../dist/index.js';

const { config } = parseConfig(process.env);
const gateway = await createGateway(config, { logger: createLogger(config.LOG_LEVEL, process.stderr) });
const server = await gateway.listen(0, '127.0.0.1');
const token = await gateway.auth.mintToken({ subject: config.PLATFORM_ADMIN_EMAIL, session: true });
process.stdout.write(`${JSON.stringify({ url: server.url, token })}\n`);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  gateway.close().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`replica close failed: ${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
});
