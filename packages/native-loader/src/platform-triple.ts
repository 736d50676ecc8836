/**
 * The napi-rs platform triple for this process (`linux-x64-gnu`, `darwin-arm64`,
 * `win32-x64-msvc`, …), matching the suffix of the per-platform npm packages and `.node` files
 * that `napi build --platform` and `napi create-npm-dirs` produce.
 *
 * @param platform defaults to `process.platform`
 * @param arch defaults to `process.arch`
 * @param libc on Linux, `gnu` or `musl`; detected when omitted
 * @throws Error naming the platform when no prebuilt binaries are published for it
 */
export function platformTriple(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  libc: 'gnu' | 'musl' | undefined = undefined,
): string {
  switch (platform) {
    case 'linux': {
      if (arch !== 'x64' && arch !== 'arm64') break;
      return `linux-${arch}-${libc ?? detectLibc()}`;
    }
    case 'darwin':
      if (arch === 'x64' || arch === 'arm64') return `darwin-${arch}`;
      break;
    case 'win32':
      if (arch === 'x64' || arch === 'arm64') return `win32-${arch}-msvc`;
      break;
    default:
      break;
  }
  throw new Error(
    `no prebuilt native binary for ${platform}-${arch}: supported are linux x64/arm64 (gnu, musl), darwin x64/arm64, win32 x64/arm64`,
  );
}

/** Distinguishes glibc from musl the way Node itself reports it (no child process needed). */
function detectLibc(): 'gnu' | 'musl' {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime ? 'gnu' : 'musl';
}
