import type { ChangeEvent } from '../connection/inbound-router.js';
import type { UpstreamLogger } from '../logger.js';
import type { ListChangedKind } from '../types.js';

/**
 * The listeners of one upstream's change events. `list_changed` bursts (every isolated session
 * may report the same change, servers often send several in a row) are coalesced into one event
 * per kind within `debounceMs`; resource updates are delivered as they come.
 */
export class ChangeListeners {
  private readonly listChanged = new Set<(kind: ListChangedKind) => void>();
  private readonly resourceUpdated = new Set<(uri: string) => void>();
  private readonly debounce = new Map<ListChangedKind, NodeJS.Timeout>();

  /**
   * @param logger where a throwing listener is reported
   * @param where display name
   * @param onWantedChange told whether anyone listens (to open or close the upstream's event stream)
   * @param debounceMs coalescing window for list_changed
   */
  constructor(
    private readonly logger: UpstreamLogger,
    private readonly where: string,
    private readonly onWantedChange: () => void,
    private readonly debounceMs = 50,
  ) {}

  /** True while anyone listens. */
  get wanted(): boolean {
    return this.listChanged.size > 0 || this.resourceUpdated.size > 0;
  }

  /** Adds a listener; returns its removal. */
  add(
    event: 'list_changed' | 'resource_updated',
    fn: ((kind: ListChangedKind) => void) | ((uri: string) => void),
  ): () => void {
    const set = (event === 'list_changed' ? this.listChanged : this.resourceUpdated) as Set<typeof fn>;
    set.add(fn);
    this.onWantedChange();
    return () => {
      set.delete(fn);
      this.onWantedChange();
    };
  }

  /** Delivers one event from any connection of the upstream. */
  emit(e: ChangeEvent): void {
    if (e.kind === 'resource_updated') {
      for (const fn of this.resourceUpdated) this.safely(() => fn(e.uri));
      return;
    }
    if (this.debounce.has(e.list)) return;
    const timer = setTimeout(() => {
      this.debounce.delete(e.list);
      for (const fn of this.listChanged) this.safely(() => fn(e.list));
    }, this.debounceMs);
    timer.unref();
    this.debounce.set(e.list, timer);
  }

  /** Drops pending coalesced events. */
  close(): void {
    for (const t of this.debounce.values()) clearTimeout(t);
    this.debounce.clear();
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.warn(`${this.where}: event listener threw: ${(err as Error).message}`);
    }
  }
}
