import { z } from 'zod';
import { SETTINGS } from './settings.js';

/**
 * JSON Schema (2020-12) of every setting, as typed values (integers, booleans, enums) with defaults and
 * descriptions; secret settings carry `"writeOnly": true`.
 */
export function configJsonSchema(): Record<string, unknown> {
  const shape = Object.fromEntries(
    Object.entries(SETTINGS).map(([name, s]) => [
      name,
      s.secret ? s.schema.meta({ writeOnly: true }) : s.schema,
    ]),
  );
  const schema = z.toJSONSchema(z.object(shape), { io: 'output' }) as Record<string, unknown>;
  schema.title = 'ContextForge gateway settings (environment variables)';
  delete schema.required;
  return schema;
}

/** One row per setting for documentation: name, default, description, secret. */
export function describeSettings(): Array<{
  name: string;
  default: string | undefined;
  expected: string;
  description: string;
  secret: boolean;
}> {
  return Object.entries(SETTINGS).map(([name, s]) => ({
    name,
    default: s.defaultText,
    expected: s.expected,
    description: s.description,
    secret: s.secret,
  }));
}
