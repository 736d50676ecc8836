import { z } from 'zod';

/** One environment setting: its zod schema, the human form of what it expects, and whether it is secret. */
export interface Setting<T extends z.ZodType = z.ZodType> {
  /** Parses the raw string (or undefined) from the environment. */
  readonly schema: T;
  /** What a valid value looks like, for error messages: `an integer from 1 to 65535`. */
  readonly expected: string;
  /** One-line description (README table, JSON Schema). */
  readonly description: string;
  /** Secrets are never echoed back in errors, logs or `config validate` output. */
  readonly secret: boolean;
  /** The default, rendered for documentation (`undefined` when there is none). */
  readonly defaultText: string | undefined;
}

function make<T extends z.ZodType>(
  schema: T,
  expected: string,
  description: string,
  defaultText: string | undefined,
  secret = false,
): Setting<T> {
  return { schema: schema.describe(description) as T, expected, description, secret, defaultText };
}

/** An integer setting within `[min, max]`. */
export function intSetting(min: number, max: number, def: number, description: string) {
  return make(
    z.coerce.number().int().min(min).max(max).default(def),
    `an integer from ${min} to ${max}`,
    description,
    String(def),
  );
}

/** A boolean setting (`true|false|1|0|yes|no|on|off`). */
export function boolSetting(def: boolean, description: string) {
  return make(z.stringbool().default(def), 'true or false', description, String(def));
}

/** An optional boolean setting (no default: unset means "not configured"). */
export function optionalBoolSetting(description: string) {
  return make(z.stringbool().optional(), 'true or false', description, undefined);
}

/** A string setting with a default. */
export function stringSetting(def: string, description: string, pattern?: { re: RegExp; expected: string }) {
  const base = pattern ? z.string().regex(pattern.re) : z.string();
  return make(base.default(def), pattern?.expected ?? 'a string', description, JSON.stringify(def));
}

/** An optional string setting (no default). */
export function optionalStringSetting(description: string, secret = false, minLength = 0) {
  const base = minLength > 0 ? z.string().min(minLength) : z.string();
  return make(
    base.optional(),
    minLength > 0 ? `a string of at least ${minLength} characters` : 'a string',
    description,
    undefined,
    secret,
  );
}

/** A setting that is one of `values`. */
export function enumSetting<const V extends readonly [string, ...string[]]>(
  values: V,
  def: V[number],
  description: string,
) {
  return make(z.enum(values).default(def), `one of ${values.join('|')}`, description, def);
}

/** A URL setting with one of the given schemes. */
export function urlSetting(schemes: readonly string[], def: string, description: string, secret = false) {
  const schema = z
    .string()
    .refine((value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    })
    .default(def);
  return make(schema, `a URL with scheme ${schemes.join('|')}`, description, def, secret);
}
