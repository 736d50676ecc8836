import type { Cache } from '../cache/cache.js';
import type { ChangeEvent } from '../mcp/types.js';

/** Cache key announcing an upstream resource update to every replica (it never holds a value). */
export const RESOURCE_UPDATED_KEY = 'resource-updated:';

/**
 * Turns the registries' cache invalidations (made on this replica or, with Redis, on any other) into MCP
 * change events: tool, resource and prompt writes become `list_changed` of that kind, virtual-server
 * writes all three; bursts (a discovery sync touching hundreds of rows) collapse into one event per
 * kind within `debounceMs`. Gateway invalidations reach `onGateway` (connection specs to rebuild).
 */
export function createChangeFeed(
  cache: Cache,
  emit: (e: ChangeEvent) => void,
  onGateway: (gatewayId: string | undefined) => void,
  debounceMs = 50,
): { announceResourceUpdated(uri: string): Promise<void>; close(): void } {
  const pending = new Set<'tools' | 'resources' | 'prompts'>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    for (const kind of pending) emit({ scope: 'any', kind });
    pending.clear();
  };
  const mark = (kind: 'tools' | 'resources' | 'prompts') => {
    pending.add(kind);
    timer ??= setTimeout(flush, debounceMs);
  };
  const classify = (key: string) => {
    if (key.startsWith(RESOURCE_UPDATED_KEY))
      emit({ kind: 'resource-updated', uri: key.slice(RESOURCE_UPDATED_KEY.length) });
    else if (key.startsWith('tool:')) mark('tools');
    else if (key.startsWith('resource:')) mark('resources');
    else if (key.startsWith('prompt:')) mark('prompts');
    else if (key.startsWith('server:')) {
      mark('tools');
      mark('resources');
      mark('prompts');
    } else if (key.startsWith('gateway:id:')) onGateway(key.slice('gateway:id:'.length));
    else if (key.startsWith('gateway:')) onGateway(undefined);
  };
  const off = cache.onInvalidate((inv) => {
    for (const key of inv.keys) classify(key);
    if (inv.prefix !== undefined) classify(inv.prefix);
  });
  return {
    // The invalidation channel reaches every replica: it carries the announcement (no value is stored).
    announceResourceUpdated: (uri) => cache.delete(`${RESOURCE_UPDATED_KEY}${uri}`),
    close() {
      off();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
