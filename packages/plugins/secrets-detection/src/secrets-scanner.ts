/** A compiled secrets scanner (native handle); scans many strings in one call (NUL-joined). */
import { loadSecretsBinding, type SecretsBinding } from './native.js';

/** Findings of one scan. */
export interface SecretsScanResult {
  total: number;
  /** Findings per kind name; zero counts omitted. */
  counts: Record<string, number>;
  /** Redacted strings, same order (`null` without redaction). */
  texts: string[] | null;
}

const registry = new FinalizationRegistry<{ binding: SecretsBinding; handle: number }>(
  ({ binding, handle }) => binding.releaseScanner(handle),
);

/** A native scanner for one set of enabled kinds. */
export class SecretsScanner {
  private readonly binding = loadSecretsBinding();
  private readonly handle: number;
  private readonly names: string[];

  /** @param enabled kind names (`aws_access_key_id`, …) */
  constructor(enabled: readonly string[]) {
    this.handle = this.binding.createScanner([...enabled]);
    this.names = this.binding.kinds();
    registry.register(this, { binding: this.binding, handle: this.handle }, this);
  }

  /** Scans `texts` in one pass; `redaction` null means detect only. */
  scanAll(texts: readonly string[], redaction: string | null): SecretsScanResult | null {
    if (texts.length === 0) return null;
    if (texts.some((t) => t.includes('\0'))) return this.scanEach(texts, redaction);
    const r = this.binding.scan(this.handle, texts.join('\0'), redaction);
    if (!r) return null;
    const split = r.masked === null ? null : r.masked.split('\0');
    if (split && split.length !== texts.length) return this.scanEach(texts, redaction);
    return { ...this.summarise(r.counts), texts: split };
  }

  /** Frees the native scanner now. */
  release(): void {
    registry.unregister(this);
    this.binding.releaseScanner(this.handle);
  }

  private scanEach(texts: readonly string[], redaction: string | null): SecretsScanResult | null {
    const counts = new Array<number>(this.names.length).fill(0);
    let any = false;
    const out = texts.map((t) => {
      const r = this.binding.scan(this.handle, t, redaction);
      if (!r) return t;
      any = true;
      r.counts.forEach((c, i) => {
        counts[i] = (counts[i] ?? 0) + c;
      });
      return r.masked ?? t;
    });
    return any ? { ...this.summarise(counts), texts: redaction === null ? null : out } : null;
  }

  private summarise(raw: number[]): Pick<SecretsScanResult, 'total' | 'counts'> {
    const counts: Record<string, number> = {};
    let total = 0;
    raw.forEach((n, i) => {
      if (n > 0) {
        counts[this.names[i] ?? `kind_${i}`] = n;
        total += n;
      }
    });
    return { total, counts };
  }
}
