import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.js';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox('a-secret-of-at-least-thirty-two-characters');

  it('round-trips values with a fresh IV each time', () => {
    const a = box.encrypt('token-123');
    const b = box.encrypt('token-123');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(box.decrypt(a)).toBe('token-123');
  });

  it('tells another key from tampering', () => {
    const other = new SecretBox('another-secret-of-at-least-thirty-two-chars');
    const sealed = other.encrypt('x');
    expect(() => box.decrypt(sealed)).toThrow(/another AUTH_ENCRYPTION_SECRET/);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => other.decrypt(tampered)).toThrow(GatewayError);
    expect(other.canDecrypt(sealed)).toBe(true);
    expect(box.canDecrypt('not-a-ciphertext')).toBe(false);
  });
});
