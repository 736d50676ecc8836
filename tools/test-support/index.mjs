import { connect } from 'node:net';
import { describe, it } from 'vitest';

/**
 * Connection URLs of the real services the multi-backend suites use. Overridable by environment
 * (POSTGRES_URL, MARIADB_URL, REDIS_URL); defaults are the services the build machines run.
 */
export const serviceUrls = {
  postgres: process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mariadb: process.env.MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test',
  redis: process.env.REDIS_URL_TEST ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/** Resolves true when a TCP connection to the service's host:port succeeds within `timeoutMs`. */
export function probe(url, timeoutMs = 1500) {
  const { hostname, port } = new URL(url);
  const defaults = {
    'postgres:': 5432,
    'postgresql:': 5432,
    'mysql:': 3306,
    'redis:': 6379,
    'rediss:': 6379,
  };
  const p = Number(port || defaults[new URL(url).protocol] || 0);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: p });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const cache = new Map();
/** Memoised `probe` of a named service. */
export function isServiceUp(name) {
  if (!cache.has(name)) cache.set(name, probe(serviceUrls[name]));
  return cache.get(name);
}

/** True when running in CI (`CI=true`), where a missing required service is a failure, not a skip. */
export const inCI = ['true', '1'].includes(String(process.env.CI ?? '').toLowerCase());

/**
 * `describe` for a suite that needs real services. When they are all reachable, the suite runs.
 * When one is not: in CI the suite contains one failing test naming the service and its URL (a
 * required backend must never be silently skipped); elsewhere the suite is skipped and the reason
 * printed.
 *
 * Vitest collects suites synchronously, so reachability is probed with a top-level `await` in the
 * test file: `describeWithServices(['postgres'], 'repo on pg', fn, await servicesUp(['postgres']))`
 * — or more simply `await describeWithServices(...)` which does both.
 */
export async function describeWithServices(names, title, body) {
  const down = [];
  for (const name of names) if (!(await isServiceUp(name))) down.push(name);
  if (down.length === 0) return describe(title, body);
  const reason = down.map((n) => `${n} (${redact(serviceUrls[n])})`).join(', ');
  if (inCI) {
    return describe(title, () => {
      it(`requires ${reason}`, () => {
        throw new Error(`required service unreachable in CI: ${reason}`);
      });
    });
  }
  console.warn(
    `[test-support] skipping "${title}": unreachable ${reason} (set CI=true to make this a failure)`,
  );
  return describe.skip(title, body);
}

/** Removes a password from a URL for printing. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** A short random suffix for per-test database, schema and key names (suites share servers). */
export function uniqueName(prefix) {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export { builtCli, describeBuiltCli, startListening } from './built-cli.mjs';

export { createTestPki } from './pki.mjs';
