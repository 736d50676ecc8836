import nunjucks from 'nunjucks';
import { GatewayError } from '../../errors.js';

/**
 * Member names a template may never read: through them a template could reach `Function` and run
 * arbitrary code (`"".constructor.constructor("…")()`). Checked statically here and again at run time in
 * the render worker (for computed lookups such as `x[name]`).
 */
export const BLOCKED_MEMBERS: readonly string[] = [
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
];

/** Names provided by the render environment (not prompt arguments). */
const ENVIRONMENT_NAMES = new Set([
  'range',
  'cycler',
  'joiner',
  'loop',
  'caller',
  'super',
  'true',
  'false',
  'none',
]);

/** A declared prompt argument. */
export interface PromptArgument {
  name: string;
  description?: string | null;
  required: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: nunjucks' AST is untyped.
type AstNode = any;

function parse(template: string): AstNode {
  try {
    // biome-ignore lint/suspicious/noExplicitAny: `parser` is exported by nunjucks but not declared in its types.
    return (nunjucks as any).parser.parse(template, [], {});
  } catch (error) {
    const e = error as { message?: string };
    throw new GatewayError(
      'UNPROCESSABLE',
      `template is not valid nunjucks: ${(e.message ?? String(error)).replace(/\s+/g, ' ').trim()}`,
      {
        field: 'template',
        cause: error,
      },
    );
  }
}

function walk(node: AstNode, visit: (node: AstNode) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (typeof node.typename !== 'string') return;
  visit(node);
  for (const field of node.fields ?? []) walk(node[field], visit);
  if (Array.isArray(node.children)) walk(node.children, visit);
}

/**
 * Checks that `template` parses and reads no blocked member.
 *
 * @throws GatewayError UNPROCESSABLE (field `template`) with the parser's message or the blocked name.
 */
export function validateTemplate(template: string): void {
  walk(parse(template), (node) => {
    const name =
      node.typename === 'LookupVal' && node.val?.typename === 'Literal'
        ? String(node.val.value)
        : node.typename === 'Symbol'
          ? String(node.value)
          : undefined;
    if (name !== undefined && BLOCKED_MEMBERS.includes(name)) {
      throw new GatewayError('UNPROCESSABLE', `template reads '${name}', which templates may not access`, {
        field: 'template',
      });
    }
    if (
      node.typename === 'Include' ||
      node.typename === 'Extends' ||
      node.typename === 'Import' ||
      node.typename === 'FromImport'
    ) {
      throw new GatewayError(
        'UNPROCESSABLE',
        'template uses include/extends/import, which prompts do not support',
        { field: 'template' },
      );
    }
  });
}

/**
 * The variables a template reads that it does not define itself (loop variables, `set` targets, macro
 * parameters and environment globals excluded), in order of first use: the arguments ContextForge derives
 * when a prompt declares none.
 */
export function deriveArguments(template: string): PromptArgument[] {
  const bound = new Set<string>(ENVIRONMENT_NAMES);
  const used: string[] = [];
  walk(parse(template), (node) => {
    if (node.typename === 'For' || node.typename === 'AsyncEach' || node.typename === 'AsyncAll') {
      for (const s of symbolsOf(node.name)) bound.add(s);
    } else if (node.typename === 'Set') {
      for (const s of symbolsOf(node.targets)) bound.add(s);
    } else if (node.typename === 'Macro') {
      bound.add(String(node.name?.value));
      for (const s of symbolsOf(node.args)) bound.add(s);
    } else if (node.typename === 'Symbol') {
      used.push(String(node.value));
    }
  });
  return [...new Set(used)].filter((n) => !bound.has(n)).map((name) => ({ name, required: true }));
}

function symbolsOf(node: AstNode): string[] {
  const out: string[] = [];
  walk(node, (n) => {
    if (n.typename === 'Symbol') out.push(String(n.value));
  });
  return out;
}
