import { spawn } from 'node:child_process';

/** Most bytes of suite output kept for the report (the tail is what explains a failure). */
const MAX_OUTPUT = 256 * 1024;

/**
 * @typedef {object} SuiteRun
 * @property {number | null} exitCode the suite's exit code (null when killed)
 * @property {string} output combined stdout and stderr (tail, at most 256 KiB)
 * @property {boolean} timedOut whether the run was killed for exceeding its time limit
 */

/**
 * Runs one suite command (`node <entry> …args`) to completion, capturing its output. The child is
 * killed (SIGKILL, after SIGTERM is ignored for 2 s) when it outlives `timeoutMs`, so a hung endpoint
 * never hangs the caller.
 *
 * @param {import('./engines.mjs').SuiteEngine} engine
 * @param {string[]} args suite arguments after the entry script
 * @param {{ timeoutMs: number, onOutput?: (chunk: string) => void }} options
 * @returns {Promise<SuiteRun>}
 */
export function spawnSuite(engine, args, { timeoutMs, onOutput }) {
  return new Promise((resolve, reject) => {
    const child = spawn(engine.node, [engine.entry, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // No colour codes in captured output; the suite prints its own summary we keep verbatim.
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    /** @param {Buffer} chunk */
    const collect = (chunk) => {
      const text = chunk.toString('utf8');
      onOutput?.(text);
      output = (output + text).slice(-MAX_OUTPUT);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    /** @type {NodeJS.Timeout | undefined} */
    let killer;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new Error(`could not start the conformance suite (${engine.node} ${engine.entry}): ${error.message}`),
      );
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      clearTimeout(killer);
      resolve({ exitCode, output, timedOut });
    });
  });
}
