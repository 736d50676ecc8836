// Preloaded into the gateway process under test (`node --expose-gc --import gateway-hook.mjs …`):
// answers the bench over the IPC channel without touching the gateway's code — a CPU profile of
// exactly the measured window (node:inspector's Profiler, the sampler behind --cpu-prof) and memory
// after a full GC. Idle, it costs nothing: the channel is unref'd and nothing runs until asked.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

if (process.send) {
  let session;
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  const handlers = {
    async 'profile-start'({ intervalUs = 100 }) {
      session = new Session();
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: intervalUs });
      await post('Profiler.start');
      return {};
    },
    async 'profile-stop'({ file }) {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      session = undefined;
      writeFileSync(file, JSON.stringify(profile));
      return { file };
    },
    async memory() {
      // Two collections: the first may only schedule finalisers.
      globalThis.gc?.();
      await new Promise((r) => setImmediate(r));
      globalThis.gc?.();
      const m = process.memoryUsage();
      return {
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        gc: typeof globalThis.gc === 'function',
      };
    },
  };
  process.on('message', async (message) => {
    if (!message || typeof message !== 'object' || !(message.cmd in handlers)) return;
    try {
      process.send({ id: message.id, ok: true, ...(await handlers[message.cmd](message)) });
    } catch (error) {
      process.send({ id: message.id, ok: false, error: String(error?.stack ?? error) });
    }
  });
  process.channel?.unref();
}
