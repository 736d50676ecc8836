/** Small, configurable plugins used by the manager tests (real plugins, real factories). */
import type { PluginFactory, PluginResult } from '../../src/index.js';

/** Records what every plugin saw, in call order. */
export const calls: string[] = [];

/** Appends `config.tag` to `args.trail` (shows order and chaining). */
export const tagger: PluginFactory = ({ name, config }) => ({
  name,
  hooks: {
    tool_pre_invoke(payload) {
      calls.push(name);
      const trail = String(payload.args.trail ?? '');
      return {
        modifiedPayload: {
          ...payload,
          args: { ...payload.args, trail: `${trail}${String(config.tag ?? name)}` },
        },
      };
    },
    tool_post_invoke(payload) {
      calls.push(name);
      return {
        modifiedPayload: { ...payload, result: `${String(payload.result)}+${String(config.tag ?? name)}` },
      };
    },
    prompt_pre_fetch(payload) {
      calls.push(name);
      return {
        modifiedPayload: {
          ...payload,
          args: { ...payload.args, trail: `${payload.args.trail ?? ''}${String(config.tag ?? name)}` },
        },
      };
    },
  },
});

/** Blocks tool calls whose `args.text` contains `config.word`. */
export const blocker: PluginFactory = ({ name, config }) => ({
  name,
  hooks: {
    tool_pre_invoke(payload): PluginResult<never> {
      calls.push(name);
      if (String(payload.args.text ?? '').includes(String(config.word ?? 'bad'))) {
        return {
          continueProcessing: false,
          violation: { reason: 'Denied', description: 'bad word', code: 'DENY' },
        };
      }
      return {};
    },
  },
});

/** Throws, hangs or answers slowly depending on `config.behaviour`. */
export const troublemaker: PluginFactory = ({ name, config }) => ({
  name,
  hooks: {
    async tool_pre_invoke(_payload, context) {
      calls.push(name);
      if (config.behaviour === 'throw') throw new Error('boom');
      if (config.behaviour === 'hang') {
        await new Promise((resolve) => context.signal?.addEventListener('abort', resolve));
        return {};
      }
      if (config.behaviour === 'slow') await new Promise((r) => setTimeout(r, Number(config.ms ?? 50)));
      return {};
    },
  },
});

/** Stores a value in its context state in the pre hook and reads it back in the post hook. */
export const stateful: PluginFactory = ({ name }) => ({
  name,
  hooks: {
    tool_pre_invoke(payload, context) {
      context.state.seen = payload.name;
      context.globalContext.state.shared = `${name}-was-here`;
      return {};
    },
    tool_post_invoke(payload, context) {
      return {
        modifiedPayload: {
          ...payload,
          result: { fromPre: context.state.seen, shared: context.globalContext.state.shared },
        },
      };
    },
  },
});

/** Counts lifecycle calls so tests can see instances kept or replaced. */
export const lifecycle = { created: 0, initialized: 0, shutdown: 0 };

/** A plugin with lifecycle methods. */
export const counted: PluginFactory = ({ name }) => {
  lifecycle.created++;
  return {
    name,
    hooks: { tool_pre_invoke: () => ({}) },
    initialize() {
      lifecycle.initialized++;
    },
    shutdown() {
      lifecycle.shutdown++;
    },
  };
};

/** Every test factory by kind. */
export const testFactories = { tagger, blocker, troublemaker, stateful, counted };

/** A gate the `gated` plugin waits on; tests open it when they are done observing. */
export const gate: { open: () => void; opened: Promise<void> } = (() => {
  let open = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
})();

/** Waits for `gate` before answering (proves fail-fast behaviour without timing). */
export const gated: PluginFactory = ({ name }) => ({
  name,
  hooks: {
    async tool_pre_invoke() {
      calls.push(`${name}:start`);
      await gate.opened;
      calls.push(`${name}:end`);
      return {};
    },
  },
});

Object.assign(testFactories, { gated });
