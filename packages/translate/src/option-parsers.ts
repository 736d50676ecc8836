import { InvalidArgumentError } from 'commander';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a non-negative integer option. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new InvalidArgumentError(`expected a whole number, received "${value}"`);
  return Number(value);
}

/** Parses a TCP port (0–65535). */
export function parsePort(value: string): number {
  const port = parseCount(value);
  if (port > 65_535) throw new InvalidArgumentError(`expected a port between 0 and 65535, received ${port}`);
  return port;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration: `500ms`, `30s`, `5m`, `1h`, or a bare number in `bareUnit` (supergateway's
 * `--sessionTimeout` is in ms, ContextForge's `--keepAlive` in seconds).
 */
export function durationParser(bareUnit: 'ms' | 's'): (value: string) => number {
  return (value: string) => {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
    if (!match)
      throw new InvalidArgumentError(
        `expected a duration like 30s, 5m or a number of ${bareUnit}, received "${value}"`,
      );
    return Math.round(Number(match[1]) * UNITS[match[2] ?? bareUnit]!);
  };
}

/** Parses `Name: value` (or `Name=value`) header options into a record. */
export function parseHeaders(values: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of values) {
    const colon = raw.indexOf(':');
    const eq = raw.indexOf('=');
    const at = colon > 0 && (eq < 0 || colon < eq) ? colon : eq;
    const name = at > 0 ? raw.slice(0, at).trim() : '';
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw new InvalidArgumentError(`--header expects "Name: value", received "${raw}"`);
    }
    out[name.toLowerCase()] = raw.slice(at + 1).trim();
  }
  return out;
}

/** Parses a byte size: `4194304`, `512kb`, `4mb`. */
export function parseBytes(value: string): number {
  const match = /^(\d+)\s*(b|kb|k|mb|m)?$/i.exec(value.trim());
  if (!match)
    throw new InvalidArgumentError(
      `expected a size like 4mb, 512kb or a number of bytes, received "${value}"`,
    );
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Number(match[1]) * factor;
}
