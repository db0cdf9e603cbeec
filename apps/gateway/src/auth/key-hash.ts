import { createHash, randomBytes } from 'node:crypto';

/**
 * Keys are 256-bit random (`llk_` + 43 base64url characters), so a plain SHA-256 is what is stored and compared: no
 * one can search that space, and a slow password hash would only cost CPU on every request (docs/security.md).
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The first 8 hex characters of the key's SHA-256: tells keys apart without any of a key's own characters. */
export function fingerprintOf(hash: string): string {
  return hash.slice(0, 8);
}

export function generateApiKey(): string {
  return `llk_${randomBytes(32).toString('base64url')}`;
}
