/** Length rules: measuring in characters or estimated tokens, and truncating. */
import type { OutputLengthGuardConfig } from './config-schema.js';

/** Characters (code points) of `text`. */
export function charCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++;
    n++;
  }
  return n;
}

/** The limits in force, in characters (tokens are converted with `chars_per_token`). */
export function limits(c: OutputLengthGuardConfig): { min: number; max: number | null } {
  if (c.limit_mode === 'token') {
    return {
      min: Math.ceil(c.min_tokens * c.chars_per_token),
      max: c.max_tokens ? Math.floor(c.max_tokens * c.chars_per_token) : null,
    };
  }
  return { min: c.min_chars, max: c.max_chars ? c.max_chars : null };
}

/** `text` cut to at most `max` characters including the ellipsis. */
export function truncate(text: string, max: number, c: OutputLengthGuardConfig): string {
  const chars = Array.from(text);
  const room = Math.max(0, max - Array.from(c.ellipsis).length);
  let cut = chars.slice(0, room).join('');
  const endsAtWord = room >= chars.length || /\s/u.test(chars[room] ?? '');
  if (c.word_boundary && !endsAtWord) {
    const space = cut.search(/\s\S*$/u);
    if (space > 0) cut = cut.slice(0, space);
  }
  return `${cut.trimEnd()}${c.ellipsis}`;
}
