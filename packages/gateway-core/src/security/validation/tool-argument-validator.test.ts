import { describe, expect, it } from 'vitest';
import { isSecurityError } from '../errors.js';
import { ToolArgumentValidator } from './tool-argument-validator.js';

const weather = {
  type: 'object',
  properties: {
    city: { type: 'string', minLength: 1 },
    units: { enum: ['metric', 'imperial'] },
    days: { type: 'integer', minimum: 1, maximum: 14 },
    when: { type: 'string', format: 'date' },
    stops: {
      type: 'array',
      items: { type: 'object', properties: { 'zip code': { type: 'string' } }, required: ['zip code'] },
    },
  },
  required: ['city'],
  additionalProperties: false,
};

describe('ToolArgumentValidator', () => {
  const v = new ToolArgumentValidator();

  it('accepts valid arguments and treats missing arguments as {}', () => {
    expect(v.check(weather, { city: 'Paris', units: 'metric', days: 3, when: '2026-01-31' })).toEqual([]);
    expect(v.check({ type: 'object' }, undefined)).toEqual([]);
  });

  it('names the field of every problem', () => {
    expect(
      v.check(weather, {
        units: 'kelvin',
        days: 0,
        when: 'tomorrow',
        extra: 1,
        stops: [{}, { 'zip code': 5 }],
      }),
    ).toEqual([
      { field: 'arguments.city', message: 'is required', keyword: 'required' },
      {
        field: 'arguments.extra',
        message: 'is not allowed (unknown property)',
        keyword: 'additionalProperties',
      },
      { field: 'arguments.units', message: 'must be one of ["metric","imperial"]', keyword: 'enum' },
      { field: 'arguments.days', message: 'must be >= 1', keyword: 'minimum' },
      { field: 'arguments.when', message: 'must match format "date"', keyword: 'format' },
      { field: 'arguments.stops[0]["zip code"]', message: 'is required', keyword: 'required' },
      { field: 'arguments.stops[1]["zip code"]', message: 'must be string', keyword: 'type' },
    ]);
  });

  it('throws VALIDATION_FAILED with the first field in the message and all issues in details', () => {
    try {
      v.assertValid(weather, { city: 7, days: 99 }, 'get_weather');
      expect.unreachable();
    } catch (err) {
      expect(isSecurityError(err) && [err.code, err.status, err.field, err.message]).toEqual([
        'VALIDATION_FAILED',
        422,
        'arguments.city',
        "tool 'get_weather': arguments.city: must be string (and 1 more)",
      ]);
      expect((err as { details: { issues: unknown[] } }).details.issues).toHaveLength(2);
    }
  });

  it('supports 2020-12 keywords by default and draft-07 schemas that declare it', () => {
    const tuple = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false };
    expect(v.check(tuple, ['a', 1])).toEqual([]);
    expect(v.check(tuple, ['a', 1, 2])[0]?.field).toBe('arguments');
    const d7 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { a: { type: 'array', items: [{ type: 'string' }] } },
    };
    expect(v.check(d7, { a: [1] })[0]).toMatchObject({ field: 'arguments.a[0]', keyword: 'type' });
  });

  it('rejects broken schemas with SCHEMA_INVALID and tolerates unknown keywords', () => {
    expect(() => v.compile({ type: 'nonsense' })).toThrow(/input_schema: schema is invalid/);
    expect(() => v.compile('x')).toThrow(/must be an object or a boolean/);
    expect(v.check({ type: 'object', 'x-ui-hint': 'wide' }, {})).toEqual([]);
  });

  it('caches compiled schemas by content, bounded, without $id collisions', () => {
    const small = new ToolArgumentValidator({ maxCachedSchemas: 2 });
    const a = { $id: 'same', type: 'string' };
    const b = { $id: 'same', type: 'number' };
    expect(small.check(a, 'x')).toEqual([]);
    expect(small.check(b, 1)).toEqual([]);
    expect(small.compile({ $id: 'same', type: 'string' })).toBe(small.compile(a));
    small.compile({ type: 'boolean' });
    small.compile({ type: 'null' });
    expect(small.size).toBe(2);
  });
});
