import { randomUUID } from 'node:crypto';

/** A new entity id: a UUID v4 as 32 lowercase hex characters, as ContextForge uses. */
export function newId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Custom ids (virtual servers may choose one): letters, digits, `_` and `-`, 1–36 characters. */
export const CUSTOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,36}$/;
