#!/usr/bin/env node
// `echo-http [--port N] [--host H] [--path /mcp] [--era dual|modern|legacy] [--no-sessions] [--sse]`
// Prints the endpoint URL as the first line on stdout, then serves until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { type EchoEra, startEchoServer } from './echo-server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    path: { type: 'string', default: '/mcp' },
    era: { type: 'string', default: 'dual' },
    'no-sessions': { type: 'boolean', default: false },
    sse: { type: 'boolean', default: false },
  },
  strict: true,
});
const era = values.era as EchoEra;
if (!['dual', 'modern', 'legacy'].includes(era)) {
  console.error(`echo-http: --era must be dual, modern or legacy (got ${JSON.stringify(values.era)})`);
  process.exit(2);
}
const server = await startEchoServer({
  port: Number(values.port),
  host: values.host,
  path: values.path,
  era,
  sessions: !values['no-sessions'],
  responseMode: values.sse ? 'sse' : 'json',
});
console.log(server.url);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
