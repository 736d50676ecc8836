/**
 * Reads a list setting: a JSON array of strings (`["a","b"]`) or a comma-separated string (`a, b`).
 * Empty entries are dropped.
 *
 * @throws Error naming the problem when the text starts like JSON but is not an array of strings.
 */
export function parseList(text: string | undefined): string[] {
  const raw = (text ?? '').trim();
  if (raw === '') return [];
  if (raw.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw new Error(`not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string'))
      throw new Error('expected a JSON array of strings');
    return parsed.map((s) => s.trim()).filter(Boolean);
  }
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
