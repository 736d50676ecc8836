// Reads a V8 .cpuprofile (nodes with hitCount) and answers where the time went: self time per
// function (mapped back to the TypeScript source through the bundle's source map when there is one)
// and per area (gateway-core, hono, undici, Node internals, GC, …).
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './processes.mjs';

const maps = new Map();
function sourceMapFor(path) {
  if (!maps.has(path)) {
    let map;
    try {
      if (existsSync(`${path}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
    } catch {
      map = undefined;
    }
    maps.set(path, map);
  }
  return maps.get(path);
}

/** Where a frame is: `packages/gateway-core/src/…` for our bundles, else the path or a Node module. */
function locate(frame) {
  const { url, lineNumber, columnNumber } = frame;
  if (!url) return '';
  if (url.startsWith('node:')) return url;
  let path = url;
  try {
    if (url.startsWith('file:')) path = fileURLToPath(url);
  } catch {
    return url;
  }
  const map = sourceMapFor(path);
  const entry = map?.findEntry(lineNumber, columnNumber);
  if (entry?.originalSource) {
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : new URL(entry.originalSource, `file://${path}`).pathname;
    return `${relative(root, source)}:${entry.originalLine + 1}`;
  }
  const pnpm = path.indexOf('/node_modules/.pnpm/');
  if (pnpm >= 0) {
    const rest = path.slice(pnpm + '/node_modules/.pnpm/'.length);
    return rest.slice(rest.indexOf('/node_modules/') + '/node_modules/'.length);
  }
  return relative(root, path);
}

/** The area a frame belongs to, for the coarse breakdown. */
function areaOf(frame, where) {
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'V8/native (program)';
  if (name === '(idle)') return 'idle';
  if (where.startsWith('packages/gateway-core/src/')) return `gateway-core ${where.split('/')[3]}/`;
  if (where.startsWith('packages/')) return where.split('/').slice(0, 2).join('/');
  if (where.startsWith('node:')) return 'Node internals';
  if (where === '') return 'native/builtins';
  const pkg = where.startsWith('@') ? where.split('/').slice(0, 2).join('/') : where.split('/')[0];
  return pkg;
}

/**
 * Summarises a .cpuprofile file: `{ totalMs, busyMs, idlePct, functions: [{ name, where, selfPct }],
 * ours: [{ name, where, totalPct }] (inclusive time of the workspace's own functions),
 * areas: [{ area, selfPct }] }` with percentages of busy (non-idle) samples.
 */
export function summariseProfile(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const totalUs = profile.endTime - profile.startTime;
  const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
  const usPerHit = totalUs / hits;
  const byFunction = new Map();
  const byArea = new Map();
  let idle = 0;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Native code (no url: syscalls, C++ bindings, builtins) is charged to the nearest JS caller's area.
  const callerWhere = (node) => {
    for (let id = parent.get(node.id); id !== undefined; id = parent.get(id)) {
      const f = byId.get(id).callFrame;
      if (f.url) return locate(f);
    }
    return '';
  };
  for (const node of profile.nodes) {
    const count = node.hitCount ?? 0;
    if (count === 0) continue;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idle += count;
      continue;
    }
    const special = frame.functionName.startsWith('(');
    const native = !frame.url && !special;
    const where = native ? `native, from ${callerWhere(node) || '?'}` : locate(frame);
    const key = `${frame.functionName || '(anonymous)'}\u0000${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
    const area = native ? areaOf({ functionName: '' }, callerWhere(node)) : areaOf(frame, where);
    byArea.set(area, (byArea.get(area) ?? 0) + count);
  }
  const busy = hits - idle || 1;
  // Inclusive time of our own (gateway-core) functions: every sample counted once per function on
  // its stack, recursion included once.
  const inclusive = new Map();
  const rootNode = profile.nodes[0];
  const walk = (node, path) => {
    const frame = node.callFrame;
    let key;
    let added = false;
    if (frame.url) {
      const where = locate(frame);
      if (where.startsWith('packages/')) {
        key = `${frame.functionName || '(anonymous)'}\u0000${where}`;
        if (!path.has(key)) {
          path.add(key);
          added = true;
        }
      }
    }
    const count = node.hitCount ?? 0;
    if (count > 0 && frame.functionName !== '(idle)')
      for (const k of path) inclusive.set(k, (inclusive.get(k) ?? 0) + count);
    for (const c of node.children ?? []) walk(byId.get(c), path);
    if (added) path.delete(key);
  };
  walk(rootNode, new Set());
  const functions = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, count]) => {
      const [name, where] = key.split('\u0000');
      return { name, where, selfPct: (100 * count) / busy };
    });
  const ours = [...inclusive]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, count]) => {
      const [name, where] = key.split('\u0000');
      return { name, where, totalPct: (100 * count) / busy };
    });
  const areas = [...byArea]
    .sort((a, b) => b[1] - a[1])
    .map(([area, count]) => ({ area, selfPct: (100 * count) / busy }));
  return {
    totalMs: totalUs / 1000,
    busyMs: (busy * usPerHit) / 1000,
    idlePct: (100 * idle) / hits,
    functions,
    ours,
    areas,
  };
}
