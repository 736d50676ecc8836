/** The example plugin both templates start from: a deny-word blocker with a masking transform. */

/** JavaScript (ESM) source of the example plugin; `{{NAME}}` is the plugin name. */
export const PLUGIN_SOURCE = `// {{NAME}}: a ContextForge plugin (ESM, no build step).
// Hooks receive (payload, context) and return a PluginResult:
//   {}                                   continue unchanged
//   { modifiedPayload }                  continue with a new payload
//   { continueProcessing: false, violation: { reason, description, code, details } }  block
// See @contextforge/plugin-framework's README for every hook and payload.

/** Defaults of this plugin's \`config\` block. */
export const defaultConfig = { blocked_words: ['forbidden'], replacement: '[removed]' };

/**
 * Builds the plugin from its YAML entry.
 * @param {import('@contextforge/plugin-framework').PluginInit} init
 * @returns {import('@contextforge/plugin-framework').Plugin}
 */
export function createPlugin(init) {
  const config = { ...defaultConfig, ...init.config };
  if (!Array.isArray(config.blocked_words) || config.blocked_words.some((w) => typeof w !== 'string')) {
    throw new Error(\`plugin "\${init.name}": config.blocked_words must be a list of strings\`);
  }
  const words = config.blocked_words.map((w) => w.toLowerCase());
  const found = (value) => typeof value === 'string' && words.some((w) => value.toLowerCase().includes(w));
  return {
    name: init.name,
    hooks: {
      tool_pre_invoke(payload) {
        const hit = Object.entries(payload.args ?? {}).find(([, v]) => found(v));
        if (!hit) return {};
        return {
          continueProcessing: false,
          violation: {
            reason: 'Blocked word',
            description: \`argument "\${hit[0]}" contains a blocked word\`,
            code: 'BLOCKED_WORD',
            details: { argument: hit[0] },
          },
        };
      },
      prompt_pre_fetch(payload) {
        const args = Object.fromEntries(
          Object.entries(payload.args ?? {}).map(([k, v]) => [k, found(v) ? config.replacement : v]),
        );
        return { modifiedPayload: { ...payload, args } };
      },
    },
  };
}

/** Static description used by \`mcpplugins list\`. */
export const manifest = {
  name: '{{NAME}}',
  description: 'Blocks tool calls containing blocked words; masks them in prompt arguments',
  availableHooks: ['tool_pre_invoke', 'prompt_pre_fetch'],
  defaultConfig,
};
`;
