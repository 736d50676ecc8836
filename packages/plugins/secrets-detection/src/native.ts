/**
 * The one place the native secrets scanner is loaded: a locally built
 * `secrets-detection.<triple>.node` or the per-platform package
 * `@contextforge/plugin-secrets-detection-<triple>`. No JavaScript fallback.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNativeBinding } from '@contextforge/native-loader';

/** The functions of the addon (crates/secrets-scanner-node). */
export interface SecretsBinding {
  createScanner(enabled: string[]): number;
  releaseScanner(handle: number): void;
  scan(
    handle: number,
    text: string,
    redaction: string | null,
  ): { masked: string | null; counts: number[] } | null;
  kinds(): string[];
}

let binding: SecretsBinding | undefined;

/**
 * Loads the addon once.
 *
 * @throws NativeBindingLoadError listing every place tried
 */
export function loadSecretsBinding(): SecretsBinding {
  if (binding) return binding;
  binding = loadNativeBinding<SecretsBinding>({
    binaryName: 'secrets-detection',
    packagePrefix: '@contextforge/plugin-secrets-detection',
    directory: join(dirname(fileURLToPath(import.meta.url)), '..'),
  });
  return binding;
}
