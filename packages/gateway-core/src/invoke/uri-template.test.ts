import { describe, expect, it } from 'vitest';
import { matchesUriTemplate } from './uri-template.js';

describe('matchesUriTemplate', () => {
  it('matches simple variables within one segment and literals exactly', () => {
    expect(matchesUriTemplate('test://template/{id}/data', 'test://template/42/data')).toBe(true);
    expect(matchesUriTemplate('test://template/{id}/data', 'test://template/4/2/data')).toBe(false);
    expect(matchesUriTemplate('test://template/{id}/data', 'test://template/42/datum')).toBe(false);
    expect(matchesUriTemplate('file:///{+path}', 'file:///a/b/c.txt')).toBe(true);
    expect(matchesUriTemplate('a.b://{x}', 'aXb://1')).toBe(false);
  });
});
