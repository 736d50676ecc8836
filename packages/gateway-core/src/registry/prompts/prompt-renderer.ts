import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { GatewayError } from '../../errors.js';
import { BLOCKED_MEMBERS } from './prompt-template.js';

/** Limits of a render. */
export interface RenderLimits {
  /** A render running longer is stopped (`PROMPT_RENDER_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Largest output in characters (`PROMPT_RENDER_MAX_OUTPUT`). */
  maxOutput: number;
}

// The worker runs as CommonJS from a string so the bundle needs no extra file; it loads nunjucks by the
// absolute path the main thread resolved. In its own isolate it patches nunjucks' member lookup to refuse
// blocked names (a process-wide patch would be unsafe in the main thread), removes loaders (no include
// or extends), and caps range() so one render cannot allocate without bound.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const nunjucks = require(workerData.nunjucksPath);
const blocked = new Set(workerData.blocked);
const original = nunjucks.runtime.memberLookup;
nunjucks.runtime.memberLookup = function (obj, val) {
  if (blocked.has(String(val))) return undefined;
  return original.call(this, obj, val);
};
const env = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: false });
env.addGlobal('range', function (start, stop, step) {
  if (stop === undefined) { stop = start; start = 0; }
  step = step || 1;
  const out = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    if (out.length >= 10000) throw new Error('range() is limited to 10000 items');
    out.push(i);
  }
  return out;
});
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, template, args, maxOutput }) => {
  try {
    const text = env.renderString(template, Object.assign(Object.create(null), args));
    if (text.length > maxOutput) {
      parentPort.postMessage({ id, error: 'rendered text is ' + text.length + ' characters, over the limit of ' + maxOutput, kind: 'size' });
    } else {
      parentPort.postMessage({ id, text });
    }
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error).replace(/\\s+/g, ' ').trim() });
  }
});
`;

interface Job {
  id: number;
  template: string;
  args: Record<string, string>;
  resolve(text: string): void;
  reject(error: Error): void;
}

/**
 * Renders prompt templates with nunjucks in a worker thread: a render that loops too long is stopped by
 * terminating the worker (synchronous code cannot be interrupted any other way), one that allocates too
 * much dies on the worker's heap limit, and neither affects the gateway. Renders run one at a time.
 */
export class PromptRenderer {
  readonly #limits: RenderLimits;
  readonly #queue: Job[] = [];
  #worker: Worker | undefined;
  #workerReady: Promise<Worker> | undefined;
  #current: Job | undefined;
  #timer: NodeJS.Timeout | undefined;
  #nextId = 1;
  #closed = false;

  constructor(limits: RenderLimits) {
    this.#limits = limits;
  }

  /**
   * Renders `template` with `args`.
   *
   * @throws GatewayError RENDER_FAILED (template error, timeout, output too large, worker out of memory)
   */
  render(template: string, args: Record<string, string>): Promise<string> {
    if (this.#closed)
      return Promise.reject(new GatewayError('RENDER_FAILED', 'the prompt renderer is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, template, args, resolve, reject });
      this.#pump();
    });
  }

  /** Stops the worker; pending renders fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0))
      job.reject(new GatewayError('RENDER_FAILED', 'the prompt renderer is closed'));
    this.#finish(new GatewayError('RENDER_FAILED', 'the prompt renderer is closed'));
    const worker = this.#worker;
    this.#worker = undefined;
    this.#workerReady = undefined;
    await worker?.terminate();
  }

  #pump(): void {
    if (this.#current || this.#queue.length === 0) return;
    const job = this.#queue.shift()!;
    this.#current = job;
    // The timeout covers the render only, not the worker's start (loading nunjucks can be slow on a busy
    // machine and must not count against a template).
    this.#ensureWorker().then(
      (worker) => {
        if (this.#current !== job) return;
        this.#timer = setTimeout(() => {
          this.#finish(
            new GatewayError(
              'RENDER_FAILED',
              `prompt render exceeded ${this.#limits.timeoutMs} ms and was stopped`,
            ),
          );
          this.#restart();
        }, this.#limits.timeoutMs);
        worker.postMessage({
          id: job.id,
          template: job.template,
          args: job.args,
          maxOutput: this.#limits.maxOutput,
        });
      },
      (error: Error) => {
        if (this.#current === job)
          this.#finish(
            new GatewayError('RENDER_FAILED', `the render worker failed to start: ${error.message}`, {
              cause: error,
            }),
          );
      },
    );
  }

  #ensureWorker(): Promise<Worker> {
    if (this.#workerReady) return this.#workerReady;
    let worker: Worker;
    try {
      const require = createRequire(import.meta.url);
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { nunjucksPath: require.resolve('nunjucks'), blocked: BLOCKED_MEMBERS },
        resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 },
        stdout: false,
        stderr: false,
      });
    } catch (error) {
      // E.g. nunjucks cannot be resolved from a bundle: fail this render (and the next ones) cleanly.
      return Promise.reject(error as Error);
    }
    worker.unref();
    this.#worker = worker;
    const ready = new Promise<Worker>((resolve, reject) => {
      worker.on('message', (message: { ready?: boolean; id?: number; text?: string; error?: string }) => {
        if (message.ready) return resolve(worker);
        if (this.#worker !== worker || message.id !== this.#current?.id) return;
        if (message.error !== undefined)
          this.#finish(new GatewayError('RENDER_FAILED', `prompt render failed: ${message.error}`));
        else this.#finish(undefined, message.text ?? '');
      });
      worker.on('error', (error) => {
        reject(error);
        // Errors of a worker already replaced (after a timeout) concern no current job.
        if (this.#worker !== worker) return;
        this.#finish(
          new GatewayError('RENDER_FAILED', `prompt render aborted: ${error.message}`, { cause: error }),
        );
        this.#restart();
      });
      worker.on('exit', () => {
        reject(new Error('the render worker exited'));
        if (this.#worker !== worker) return;
        this.#worker = undefined;
        this.#workerReady = undefined;
        this.#finish(new GatewayError('RENDER_FAILED', 'prompt render aborted: the render worker exited'));
      });
    });
    // The rejection is handled by #pump; keep it from surfacing as unhandled when nobody awaits.
    ready.catch(() => undefined);
    this.#workerReady = ready;
    return ready;
  }

  #restart(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#workerReady = undefined;
    void worker?.terminate();
    if (!this.#closed) this.#pump();
  }

  #finish(error: Error | undefined, text?: string): void {
    const job = this.#current;
    if (!job) return;
    this.#current = undefined;
    clearTimeout(this.#timer);
    if (error) job.reject(error);
    else job.resolve(text ?? '');
    if (!this.#closed) queueMicrotask(() => this.#pump());
  }
}
