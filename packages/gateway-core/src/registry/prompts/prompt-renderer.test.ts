import { afterAll, describe, expect, it } from 'vitest';
import { PromptRenderer } from './prompt-renderer.js';
import { deriveArguments, validateTemplate } from './prompt-template.js';

const renderer = new PromptRenderer({ timeoutMs: 500, maxOutput: 10_000 });
afterAll(() => renderer.close());

describe('prompt templates', () => {
  it('render nunjucks without HTML escaping', async () => {
    expect(await renderer.render('{{ a }} & {{ b | upper }}', { a: '<x>', b: 'y' })).toBe('<x> & Y');
  });

  it('cannot reach Function through constructor, even by a computed name', async () => {
    const out = await renderer.render('{% set k = "constr" + "uctor" %}[{{ name[k] }}][{{ (name[k])[k] }}]', {
      name: 'x',
    });
    expect(out).toBe('[][]');
    await expect(
      renderer.render('{{ name[k][k]("return process")() }}', { name: 'x', k: 'constructor' }),
    ).rejects.toThrow(/prompt render failed/);
    expect(() => validateTemplate('{{ x.constructor }}')).toThrow(/constructor/);
    expect(() => validateTemplate('{% include "other" %}')).toThrow(/include/);
  });

  it('stops a render that runs too long, and keeps working afterwards', async () => {
    await expect(
      renderer.render('{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}', {}),
    ).rejects.toThrow(/exceeded 500 ms/);
    expect(await renderer.render('ok {{ v }}', { v: 1 as unknown as string })).toBe('ok 1');
  });

  it('refuses output over the size limit and ranges over 10000 items', async () => {
    await expect(renderer.render('{% for i in range(5000) %}xxxxxxxxxx{% endfor %}', {})).rejects.toThrow(
      /over the limit/,
    );
    await expect(renderer.render('{{ range(20000) | length }}', {})).rejects.toThrow(/limited to 10000/);
  });

  it('derives the free variables a template reads', () => {
    expect(
      deriveArguments(
        '{% set x = 1 %}{{ user.name }} {% for t in topics %}{{ t }}{{ loop.index }}{% endfor %}{{ x }}{{ tone }}',
      ).map((a) => a.name),
    ).toEqual(['user', 'topics', 'tone']);
  });
});
