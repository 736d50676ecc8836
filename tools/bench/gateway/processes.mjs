// The processes of the gateway bench: the echo upstream (servers/echo-http), the gateway (the real
// `contextforge serve` CLI from packages/gateway/dist, with gateway-hook.mjs preloaded), and the
// load generator (load.mjs). Each runs in its own process so no two share an event loop.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../translate/contenders.mjs';

const here = import.meta.dirname;
export const root = join(here, '..', '..', '..');
export const ECHO_CLI = join(root, 'servers', 'echo-http', 'dist', 'cli.js');
export const GATEWAY_CLI = join(root, 'packages', 'gateway', 'dist', 'cli.js');
const node = process.execPath;

/** Credentials of the bootstrap administrator (satisfies the default password policy). */
export const ADMIN = { email: 'bench@example.com', password: 'Loadgen-Passw0rd!-2026' };

/** Starts a process that prints its URL as the first line; resolves with { pid, url, stop }. */
async function startPrinting(args, what) {
  const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).trim().split('\n')[0]));
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before listening`)));
  });
  return { pid: child.pid, url, stop: () => stopChild(child) };
}

/** Starts the echo upstream (servers/echo-http); resolves with { pid, url, stop }. */
export function startEcho() {
  return startPrinting([ECHO_CLI], 'echo-http');
}

/** Starts floor-proxy.mjs in front of `upstreamUrl`; resolves with { pid, url, stop }. */
export function startFloorProxy(upstreamUrl) {
  return startPrinting([join(here, 'floor-proxy.mjs'), upstreamUrl], 'floor-proxy');
}

/**
 * Starts `contextforge serve` on a free port with a fresh SQLite file, authentication required and
 * loopback upstreams allowed. `env` adds or overrides settings. Resolves with
 * { pid, url, dir, ask(cmd, args), stop }.
 */
export async function startGateway(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cf-bench-gateway-'));
  const port = await freePort();
  const child = spawn(
    node,
    ['--expose-gc', '--import', pathToFileURL(join(here, 'gateway-hook.mjs')).href, GATEWAY_CLI, 'serve'],
    {
      cwd: dir, // no stray .env is picked up
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `sqlite:///${join(dir, 'gateway.db')}`,
        LOG_LEVEL: 'error',
        AUTH_REQUIRED: 'true',
        PLATFORM_ADMIN_EMAIL: ADMIN.email,
        PLATFORM_ADMIN_PASSWORD: ADMIN.password,
        JWT_SECRET_KEY: 'bench-jwt-secret-0123456789abcdef0123456789abcdef',
        AUTH_ENCRYPTION_SECRET: 'bench-encryption-secret-0123456789abcdef',
        SSRF_ALLOW_LOCALHOST: 'true',
        // Rate limiting stays on (its cost is part of the path) with a ceiling the bench never hits
        // (the per-minute maximum the setting accepts).
        RATE_LIMIT_API_PER_MINUTE: '1000000',
        RATE_LIMIT_AUTH_PER_MINUTE: '1000',
        RATE_LIMIT_ADMIN_PER_MINUTE: '1000',
        ...env,
      },
    },
  );
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output}`);
      if (output.includes('listening on')) break;
      if (Date.now() > deadline) throw new Error(`gateway did not start within 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (error) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let next = 0;
  const waiting = new Map();
  child.on('message', (m) => {
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  return {
    pid: child.pid,
    url,
    dir,
    output: () => output,
    /** Asks gateway-hook.mjs to do something; resolves with its answer. */
    ask(cmd, args = {}) {
      const id = ++next;
      return new Promise((resolve, reject) => {
        waiting.set(id, (m) => (m.ok ? resolve(m) : reject(new Error(`gateway hook ${cmd}: ${m.error}`))));
        child.send({ id, cmd, ...args });
      });
    },
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** CPU time (user + system, µs) a process has used so far, from /proc (Linux). */
export function cpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name), in ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size of one process (bytes), from /proc. */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN) * 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs load.mjs in its own process with `options`; `watch` names pids whose CPU time is read when the
 * measured window opens and closes; `onPhase('measure' | 'done')` is called at those moments.
 * Resolves with the load result plus `cpuUsPerCall` per watched name.
 */
export function runLoad(options, { watch = {}, onPhase } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(here, 'load.mjs'), JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    const marks = {};
    let result;
    child.stdout.on('data', (d) => {
      buffered += d;
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
        if (line.phase) {
          marks[line.phase] = Object.fromEntries(
            Object.entries(watch).map(([k, pid]) => [k, cpuMicros(pid)]),
          );
          onPhase?.(line.phase);
        } else result = line;
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result?.fatal) return reject(new Error(`load generator: ${result.fatal}`));
      if (code !== 0 || !result) return reject(new Error(`load generator exited with ${code}`));
      result.cpuUsPerCall = {};
      for (const k of Object.keys(watch)) {
        const used = (marks.done?.[k] ?? Number.NaN) - (marks.measure?.[k] ?? Number.NaN);
        result.cpuUsPerCall[k] = used / Math.max(1, result.calls);
      }
      resolve(result);
    });
  });
}
