const cache = new Map<string, RegExp>();

/**
 * True when `uri` is an expansion of the RFC 6570 template (simple `{var}` and reserved `{+var}`
 * expressions, which is what MCP resource templates use): literal parts must match exactly, a simple
 * variable matches one path segment, a reserved one anything.
 */
export function matchesUriTemplate(template: string, uri: string): boolean {
  let re = cache.get(template);
  if (re === undefined) {
    let source = '^';
    let last = 0;
    for (const m of template.matchAll(/\{([+#./;?&]?)([^}]*)\}/g)) {
      source += escapeRegExp(template.slice(last, m.index));
      source +=
        m[1] === '+' || m[1] === '#' ? '(.*)' : m[1] === '?' || m[1] === '&' ? '(?:[?&].*)?' : '([^/?#]*)';
      last = m.index + m[0].length;
    }
    source += `${escapeRegExp(template.slice(last))}$`;
    re = new RegExp(source, 's');
    if (cache.size > 10_000) cache.clear();
    cache.set(template, re);
  }
  return re.test(uri);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
