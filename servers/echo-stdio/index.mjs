import { fileURLToPath } from 'node:url';

/** Absolute path of the echo-stdio server script (run it with `node <path>`). */
export const echoStdioPath = fileURLToPath(new URL('./server.mjs', import.meta.url));
