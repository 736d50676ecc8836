/** Serialises a value for a JSON text column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Parses a JSON text column; a corrupt value yields `fallback` rather than failing a whole list. */
export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** SQLite and MySQL return flags as 0/1 (and MySQL sometimes as strings); PostgreSQL as numbers too. */
export function toBool(value: unknown): boolean {
  return value === 1 || value === true || value === '1';
}
