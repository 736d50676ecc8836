/**
 * A compiled PII scanner (a handle into the native addon). Scans many strings in one native call:
 * they are joined with NUL, which no detector crosses, and split back after masking.
 */
import { loadPiiBinding, type NativeScannerConfig, type PiiBinding } from './native.js';

/** What a scan found: counts by kind name, and the masked strings when asked for. */
export interface PiiScanResult {
  /** Total findings. */
  total: number;
  /** Findings per kind (`email`, `credit_card`, … or a custom pattern's name); zero counts omitted. */
  counts: Record<string, number>;
  /** Masked versions of the input strings, same order (`null` when masking was not requested). */
  texts: string[] | null;
}

const registry = new FinalizationRegistry<{ binding: PiiBinding; handle: number }>(({ binding, handle }) =>
  binding.releaseScanner(handle),
);

/** A native scanner for one configuration. */
export class PiiScanner {
  private readonly binding: PiiBinding;
  private readonly handle: number;
  private readonly names: string[];

  /**
   * Compiles `config` natively.
   *
   * @throws NativeBindingLoadError when the addon is missing; RangeError for a bad pattern
   */
  constructor(config: NativeScannerConfig = {}) {
    this.binding = loadPiiBinding();
    this.handle = this.binding.createScanner(config);
    this.names = [...this.binding.kinds(), ...(config.customPatterns ?? []).map((p) => p.name)];
    registry.register(this, { binding: this.binding, handle: this.handle }, this);
  }

  /** Scans one string. */
  scan(text: string, mask: boolean): PiiScanResult | null {
    const result = this.binding.scan(this.handle, text, mask, text.length);
    if (!result) return null;
    return { ...this.summarise(result.counts), texts: result.masked === null ? null : [result.masked] };
  }

  /** Scans several strings in one native pass; `null` when none holds PII. */
  scanAll(texts: readonly string[], mask: boolean): PiiScanResult | null {
    if (texts.length === 0) return null;
    if (texts.length === 1) return this.scan(texts[0] as string, mask);
    // A NUL inside a string would break the split; such payloads take the one-call-per-string path.
    if (texts.some((t) => t.includes('\0'))) return this.scanEach(texts, mask);
    const joined = texts.join('\0');
    const result = this.binding.scan(this.handle, joined, mask, joined.length);
    if (!result) return null;
    const split = result.masked === null ? null : result.masked.split('\0');
    if (split && split.length !== texts.length) return this.scanEach(texts, mask);
    return { ...this.summarise(result.counts), texts: split };
  }

  /** Frees the native scanner now (otherwise it is freed when this object is collected). */
  release(): void {
    registry.unregister(this);
    this.binding.releaseScanner(this.handle);
  }

  private scanEach(texts: readonly string[], mask: boolean): PiiScanResult | null {
    const counts = new Array<number>(this.names.length).fill(0);
    let any = false;
    const out = texts.map((text) => {
      const r = this.binding.scan(this.handle, text, mask, text.length);
      if (!r) return text;
      any = true;
      r.counts.forEach((c, i) => {
        counts[i] = (counts[i] ?? 0) + c;
      });
      return r.masked ?? text;
    });
    return any ? { ...this.summarise(counts), texts: mask ? out : null } : null;
  }

  private summarise(raw: number[]): Pick<PiiScanResult, 'total' | 'counts'> {
    const counts: Record<string, number> = {};
    let total = 0;
    raw.forEach((n, i) => {
      if (n === 0) return;
      const name = this.names[i] ?? `kind_${i}`;
      counts[name] = (counts[name] ?? 0) + n;
      total += n;
    });
    return { total, counts };
  }
}
