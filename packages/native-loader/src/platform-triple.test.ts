import { describe, expect, it } from 'vitest';
import { platformTriple } from './platform-triple.js';

describe('platformTriple', () => {
  it('names linux binaries by arch and libc', () => {
    expect(platformTriple('linux', 'x64', 'gnu')).toBe('linux-x64-gnu');
    expect(platformTriple('linux', 'arm64', 'musl')).toBe('linux-arm64-musl');
  });

  it('names darwin and windows binaries like napi-rs does', () => {
    expect(platformTriple('darwin', 'arm64')).toBe('darwin-arm64');
    expect(platformTriple('win32', 'x64')).toBe('win32-x64-msvc');
  });

  it('detects the libc of this process on linux', () => {
    if (process.platform !== 'linux') return;
    expect(platformTriple()).toMatch(/^linux-(x64|arm64)-(gnu|musl)$/);
  });

  it('rejects a platform without prebuilt binaries, naming it', () => {
    expect(() => platformTriple('freebsd', 'x64')).toThrow(/freebsd-x64/);
    expect(() => platformTriple('linux', 'ia32', 'gnu')).toThrow(/linux-ia32/);
  });
});
