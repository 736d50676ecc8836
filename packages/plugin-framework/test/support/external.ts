/** Helpers for external plugin tests: YAML files in temp folders, CLI server child processes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI (tests run after `build`). */
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** The path-loaded test plugin. */
export const upperPluginPath = fileURLToPath(new URL('../fixtures/upper-plugin.mjs', import.meta.url));

/** Writes `content` to `name` in a fresh temp folder; returns the file path. */
export function writeTemp(
  name: string,
  content: string,
  dir = mkdtempSync(join(tmpdir(), 'cf-ext-')),
): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** The plugin server configuration used by the external tests. */
export function serverYaml(serverSettings = ''): string {
  return `plugins:
  - name: guard
    kind: ${JSON.stringify(upperPluginPath)}
    hooks: [tool_pre_invoke, tool_post_invoke, prompt_pre_fetch]
    config: { forbidden_tool: rm_rf }
${serverSettings}`;
}

/** A `mcpplugins serve` child and the URL it announced. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stop(): Promise<number | null>;
}

/** Starts `mcpplugins serve` and waits for its "serving … on <url>" line on stderr. */
export async function startCliServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--log-level', 'warn', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving \d+ plugin\(s\) on (\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  return {
    child,
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
