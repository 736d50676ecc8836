import { UpstreamError } from '../upstream-error.js';

/** A counter of live processes with an upper bound (per upstream, or for the whole pool). */
export class ProcessBudget {
  private used = 0;

  /**
   * @param max largest number of live processes
   * @param label what the budget bounds, for the error message
   */
  constructor(
    readonly max: number,
    private readonly label: string,
  ) {}

  /** Live processes counted against the budget. */
  get inUse(): number {
    return this.used;
  }

  /** Takes one slot. @throws UpstreamError `capacity` when none is left */
  acquire(): void {
    if (this.used >= this.max) {
      throw new UpstreamError(
        'capacity',
        `${this.label}: ${this.max} stdio processes already running (limit reached)`,
        {
          notDelivered: true,
        },
      );
    }
    this.used += 1;
  }

  /** Returns one slot. */
  release(): void {
    if (this.used > 0) this.used -= 1;
  }
}
