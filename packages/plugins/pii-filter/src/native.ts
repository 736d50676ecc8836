/**
 * The one place the native PII scanner is loaded: a locally built `pii-filter.<triple>.node` (in a
 * checkout) or the per-platform package `@contextforge/plugin-pii-filter-<triple>` (from npm).
 * There is no JavaScript fallback: without the binary, creating the plugin fails loudly.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNativeBinding } from '@contextforge/native-loader';

/** Result of one native scan: `null` when nothing was found. */
export interface NativeScanResult {
  /** The masked text (`null` when masking was not requested). */
  masked: string | null;
  /** Findings per kind id (built-ins first, then custom patterns in configuration order). */
  counts: number[];
}

/** Configuration accepted by `createScanner`. */
export interface NativeScannerConfig {
  detectors?: string[];
  mask?: string;
  maskOverrides?: Record<string, string>;
  redactionText?: string;
  hashSalt?: string;
  customPatterns?: { name: string; pattern: string; mask?: string }[];
  allowlist?: string[];
}

/** The functions of the addon (crates/pii-scanner-node). */
export interface PiiBinding {
  createScanner(config: NativeScannerConfig): number;
  releaseScanner(handle: number): void;
  /** `length` (the string's `text.length`) lets the addon copy the text in one pass. */
  scan(handle: number, text: string, mask: boolean, length?: number): NativeScanResult | null;
  scanBuffer(handle: number, utf8: Uint8Array, mask: boolean): NativeScanResult | null;
  kinds(): string[];
}

let binding: PiiBinding | undefined;

/**
 * Loads the addon once.
 *
 * @throws NativeBindingLoadError (from @contextforge/native-loader) listing every place tried
 */
export function loadPiiBinding(): PiiBinding {
  if (binding) return binding;
  binding = loadNativeBinding<PiiBinding>({
    binaryName: 'pii-filter',
    packagePrefix: '@contextforge/plugin-pii-filter',
    // src/ in a checkout, dist/ when installed: the package folder is one level up either way.
    directory: join(dirname(fileURLToPath(import.meta.url)), '..'),
  });
  return binding;
}
