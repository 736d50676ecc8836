import { GatewayError } from '../../errors.js';

/**
 * The MCP tool-name rule (spec 2025-11-25, "Tool names"): 1–128 characters from `A-Za-z0-9_-.`,
 * case-sensitive. The gateway applies it to the *exposed* name, prefix included.
 */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** Lowercase, `a-z0-9` words joined by `-` (ContextForge's slugify); empty when nothing is left. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 255);
}

/**
 * Makes an upstream name usable inside an MCP tool name: characters outside `A-Za-z0-9_-.` become `_`.
 * Case is kept (names are case-sensitive and upstream clients rely on them).
 */
export function sanitizeToolName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** The exposed name of a gateway's tool or prompt: `<gateway-slug><separator><name>`, or `name` alone. */
export function composeName(gatewaySlug: string | null, separator: string, name: string): string {
  return gatewaySlug ? `${gatewaySlug}${separator}${name}` : name;
}

/**
 * Checks an exposed tool/prompt name against the MCP rule.
 *
 * @throws GatewayError VALIDATION_FAILED naming `field`, the rule and the name.
 */
export function assertToolName(name: string, field: string): void {
  if (!TOOL_NAME_PATTERN.test(name)) {
    const why =
      name.length === 0
        ? 'it is empty'
        : name.length > 128
          ? `it is ${name.length} characters long`
          : `it contains ${JSON.stringify(name.replace(/[A-Za-z0-9_.-]/g, '').slice(0, 10))}`;
    throw new GatewayError(
      'VALIDATION_FAILED',
      `name ${JSON.stringify(name.slice(0, 200))} is not a valid MCP tool name (1–128 characters from A-Z a-z 0-9 _ - .): ${why}`,
      { field },
    );
  }
}
