import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ListeningCli, startListening } from '@contextforge-internal/test-support';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cf-gateway-cli-'));
const baseEnv = {
  ...process.env,
  AUTH_ENCRYPTION_SECRET: 'cli-test-secret-cli-test-secret-cli-test',
  LOG_LEVEL: 'warn',
};
const children: ChildProcess[] = [];

function run(args: string[], env: Record<string, string | undefined> = {}) {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...baseEnv, ...env },
  });
}

/** Starts `contextforge serve` on a free port and resolves with its URL once the banner is printed. */
function serve(env: Record<string, string>): Promise<ListeningCli> {
  return startListening(cli, ['serve', '--port', '0'], { cwd: dir, env: { ...baseEnv, ...env }, children });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('contextforge config', () => {
  it('prints the JSON Schema of the settings', () => {
    const result = run(['config', 'schema']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).properties.PORT).toMatchObject({ type: 'integer', default: 4444 });
  });

  it('validates a good file and names the bad variable of a bad one, redacting secrets', () => {
    writeFileSync(join(dir, 'good.env'), 'PORT=8080\nJWT_SECRET_KEY=very-secret\nUNRELATED=1\n');
    const good = run(['config', 'validate', 'good.env']);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('good.env: valid');
    expect(good.stdout).toContain('PORT=8080');
    expect(good.stdout).toContain('JWT_SECRET_KEY=<redacted>');
    expect(good.stdout).not.toContain('very-secret');
    writeFileSync(join(dir, 'bad.env'), 'PORT=http\nAUTH_ENCRYPTION_SECRET=tooshort\n');
    const bad = run(['config', 'validate', 'bad.env']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('PORT: expected an integer from 0 to 65535, received "http"');
    expect(bad.stderr).toContain(
      'AUTH_ENCRYPTION_SECRET: expected a string of at least 32 characters, received <redacted>',
    );
    expect(bad.stderr).not.toContain('tooshort');
  });
});

describe('contextforge migrate', () => {
  it('applies migrations once, then reports the schema up to date', () => {
    const env = { DATABASE_URL: `sqlite:///${join(dir, 'migrate.db')}` };
    expect(run(['migrate', '--status'], env).status).toBe(1);
    const first = run(['migrate'], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('applied 0001_initial');
    expect(run(['migrate'], env).stdout).toContain('already up to date');
    expect(run(['migrate', '--status'], env).status).toBe(0);
  });
});

describe('contextforge serve', () => {
  it('refuses to start on a bad setting with one message naming it', () => {
    const result = run(['serve'], { PORT: 'abc' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT: expected an integer from 0 to 65535, received "abc"');
  });

  it('starts on 127.0.0.1 with a SQLite file, prints next steps, and stops cleanly on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const db = join(dir, `serve-${signal}.db`);
      const { child, url, output } = await serve({ DATABASE_URL: `sqlite:///${db}` });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(output()).toContain(`curl ${url}/health`);
      expect(output()).toContain(`${url}/openapi.json`);
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'healthy', database: 'ok' });
      child.kill(signal);
      expect(await exited(child)).toBe(0);
      expect(readFileSync(db).length).toBeGreaterThan(0);
    }
  });

  it('runs the README walk-through as written, then exports and imports with the CLI', async () => {
    const db = join(dir, 'walkthrough.db');
    // The README's first step: the same administrator password for the gateway and the shell.
    const admin = { PLATFORM_ADMIN_PASSWORD: 'Walk-Through-Passw0rd!' };
    const { child, url } = await serve({ DATABASE_URL: `sqlite:///${db}`, ...admin });
    const block = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8'))?.[1];
    expect(block).toContain('BASE=http://127.0.0.1:4444');
    const script = `set -euo pipefail\n${block!.replace('BASE=http://127.0.0.1:4444', `BASE=${url}`)}`;
    const result = spawnSync('bash', ['-c', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...admin },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Write a cheerful weather report for Oslo.');
    expect(result.stdout).toContain('"exposed_name":"weather"');
    expect(result.stdout).toContain('"counts":{"created":1,"updated":0,"skipped":3,"renamed":0}');
    expect(result.stdout.trim().split('\n').pop()).toContain('"id":"weather"');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);

    // The same data through the CLI: export from this database, import into a new one.
    const exported = run(['export', '-o', 'cli-backup.json'], { DATABASE_URL: `sqlite:///${db}` });
    expect(exported.status).toBe(0);
    expect(exported.stderr).toContain('1 tools');
    const copy = { DATABASE_URL: `sqlite:///${join(dir, 'copy.db')}` };
    const dry = run(['import', 'cli-backup.json', '--dry-run'], copy);
    expect(dry.stdout).toContain('dry run: would import: 4 created');
    const real = run(['import', 'cli-backup.json', '--conflict-strategy', 'fail'], copy);
    expect(real.status).toBe(0);
    expect(real.stdout).toContain('imported: 4 created');
    const again = run(['import', 'cli-backup.json', '--conflict-strategy', 'fail'], copy);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists (conflict_strategy=fail)');
    expect(run(['import', 'cli-backup.json', '--conflict-strategy', 'sideways'], copy).status).toBe(2);
  });
});

describe('contextforge serve on a busy port', () => {
  it('exits with 1 and says the address is in use', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = run(['serve', '--port', String(port)], {
        DATABASE_URL: `sqlite:///${join(dir, 'busy.db')}`,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`127.0.0.1:${port} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
