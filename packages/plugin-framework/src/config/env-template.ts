/**
 * Renders the small template subset ContextForge config files use in string values:
 * `{{ env.NAME }}` and `{{ env.NAME | default("fallback") }}` (defaults may nest another
 * `env.OTHER | default(...)`). Anything else inside `{{ }}` is an error naming the expression.
 */

const EXPRESSION = /\{\{\s*(.*?)\s*\}\}/g;

/** Renders every `{{ … }}` in `text` with `env`; throws naming the bad expression. */
export function renderEnvTemplate(text: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!text.includes('{{')) return text;
  return text.replace(EXPRESSION, (_match, expression: string) => evaluate(expression, env, expression));
}

function evaluate(expression: string, env: NodeJS.ProcessEnv, whole: string): string {
  const trimmed = expression.trim();
  const pipe = splitTopLevelPipe(trimmed);
  const head = pipe[0]?.trim() ?? '';
  const value = readOperand(head, env, whole);
  if (pipe.length === 1) {
    if (value === undefined)
      throw new Error(`template {{ ${whole} }}: environment variable ${head.slice(4)} is not set`);
    return value;
  }
  const filter = pipe.slice(1).join('|').trim();
  const match = /^default\((.*)\)$/s.exec(filter);
  if (!match)
    throw new Error(`template {{ ${whole} }}: unsupported filter "${filter}" (only default(...) is)`);
  if (value !== undefined && value !== '') return value;
  return evaluate(match[1] ?? '', env, whole);
}

function readOperand(operand: string, env: NodeJS.ProcessEnv, whole: string): string | undefined {
  const quoted = /^(["'])(.*)\1$/s.exec(operand);
  if (quoted) return quoted[2];
  const variable = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(operand);
  if (variable?.[1]) return env[variable[1]];
  throw new Error(`template {{ ${whole} }}: expected env.NAME or a quoted string, got "${operand}"`);
}

/** Splits on the first `|` that is outside quotes and parentheses. */
function splitTopLevelPipe(text: string): string[] {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return [text.slice(0, i), text.slice(i + 1)];
  }
  return [text];
}

/** Renders templates in every string of a parsed YAML value, reporting the path on failure. */
export function renderEnvTemplates(value: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  if (typeof value === 'string') {
    try {
      return renderEnvTemplate(value, env);
    } catch (error) {
      throw new Error(`${path || '<root>'}: ${(error as Error).message}`);
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => renderEnvTemplates(v, env, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = renderEnvTemplates(v, env, path ? `${path}.${k}` : k);
    return out;
  }
  return value;
}
