import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./replica-process.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../../../dist/index.js', import.meta.url));

/** A gateway replica running as a child process. */
export interface ReplicaProcess {
  /** Base URL (`http://127.0.0.1:PORT`). */
  url: string;
  /** A session token of the bootstrap administrator, minted by this replica. */
  token: string;
  child: ChildProcess;
  /** The last lines the replica wrote to stderr (its logs). */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts `helpers/replica-process.mjs` (the package's build) with exactly `env` (plus PATH) and resolves
 * once it listens.
 *
 * @throws when dist is missing, or the process exits or stays silent for 60 s (its stderr attached)
 */
export function startReplica(env: Record<string, string>, name: string): Promise<ReplicaProcess> {
  if (!existsSync(dist))
    throw new Error(
      `${dist} is missing: build the package first (pnpm nx run @contextforge/gateway-core:build)`,
    );
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr = `${stderr}${line}\n`.slice(-16_384);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().finally(() => reject(new Error(`replica ${name} did not start: ${why}\n${stderr}`)));
    };
    const timer = setTimeout(() => fail('no URL within 60 s'), 60_000);
    const early = (code: number | null, signal: string | null) =>
      fail(`exited early (code ${code}, signal ${signal})`);
    child.once('exit', early);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', early);
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      resolve({ url, token, child, stderr: () => stderr, stop });
    });
  });
}
