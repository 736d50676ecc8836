/** Rate strings: `"60/m"`, `"10/s"`, `"1000/h"`, `"5000/d"` (also `/sec`, `/minute`, …). */

/** A parsed rate. */
export interface Rate {
  limit: number;
  windowMs: number;
  /** The rate as written, for messages. */
  text: string;
}

const UNITS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

const PATTERN = /^\s*(\d+)\s*\/\s*([a-z]+)\s*$/i;

/** Parses a rate; `undefined` when malformed (the schema reports it). */
export function parseRate(text: string): Rate | undefined {
  const match = PATTERN.exec(text);
  const unit = match?.[2]?.toLowerCase();
  const windowMs = unit ? UNITS[unit] : undefined;
  const limit = Number(match?.[1]);
  if (!match || windowMs === undefined || !Number.isSafeInteger(limit) || limit < 1) return undefined;
  return { limit, windowMs, text: text.trim() };
}

/** The message zod shows for a malformed rate. */
export const RATE_HINT = 'must look like "60/m" (a positive count per s, m, h or d)';
