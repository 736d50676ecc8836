import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);

/** The built mcp-translate bin. */
export const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** @modelcontextprotocol/server-everything's entry (run with `stdio`, `sse` or `streamableHttp`). */
export const everythingPath = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
/** Our minimal stdio echo server. */
export const echoPath = fileURLToPath(new URL('../../../servers/echo-stdio/server.mjs', import.meta.url));

/** Every live descendant of a process (children, grandchildren, …), from /proc. */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until none of the pids is alive; fails the test naming the survivors. */
export async function expectAllGone(pids: number[], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = left.filter(alive);
  }
  expect(left, `processes still alive: ${left.join(', ')}`).toEqual([]);
}

/** A running mcp-translate process. */
export interface Translate {
  proc: ChildProcess;
  /** Base URL (http://127.0.0.1:port). */
  url: string;
  stderr(): string;
  stdout(): string;
  /** Live descendants now. */
  descendants(): number[];
  /** SIGTERM, wait for exit, and check that every descendant seen during the test is gone. */
  stop(): Promise<number | null>;
}

const running = new Set<Translate>();

/** Starts `mcp-translate <args>` in server mode and waits until it logs its health URL. */
export async function startTranslate(args: string[], env: Record<string, string> = {}): Promise<Translate> {
  const proc = spawn(process.execPath, [cliPath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let err = '';
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const seen = new Set<number>();
  const url = await new Promise<string>((resolve, reject) => {
    proc.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const match = /health on (http:\/\/[^/\s]+)/.exec(err);
      if (match) resolve(match[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`mcp-translate exited with ${code}: ${err}`)));
  });
  const remember = () => {
    for (const pid of descendantsOf(proc.pid!)) seen.add(pid);
  };
  const timer = setInterval(remember, 100);
  const t: Translate = {
    proc,
    url,
    stderr: () => err,
    stdout: () => out,
    descendants: () => descendantsOf(proc.pid!),
    async stop() {
      remember();
      clearInterval(timer);
      running.delete(t);
      const exited = new Promise<number | null>((r) =>
        proc.exitCode !== null ? r(proc.exitCode) : proc.once('exit', (code) => r(code)),
      );
      proc.kill('SIGTERM');
      const code = await exited;
      await expectAllGone([...seen]);
      return code;
    },
  };
  running.add(t);
  return t;
}

/** Stops whatever a failed test left running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((t) => t.stop().catch(() => undefined)));
}
