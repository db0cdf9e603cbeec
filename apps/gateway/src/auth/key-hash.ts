import { createHash, randomBytes } from 'node:crypto';

/**
 * Keys are 256-bit random (`llk_` + 43 base64url characters), so a plain SHA-256 is what is stored and compared: no
 * one can search that space, and a slow password hash would only cost CPU on every request (docs/security.md).
 */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const hashOfRequest = new WeakMap<object, string>();

/**
 * hashKey of the key a request presents (`headers` is that request's headers object), computed once per request: the
 * rate limit and the key check both need it. Nothing is kept beyond the request (no key is remembered across requests,
 * so no comparison with another request's key can be timed).
 */
export function requestKeyHash(headers: object, key: string): string {
  let hash = hashOfRequest.get(headers);
  if (hash === undefined) {
    hash = hashKey(key);
    hashOfRequest.set(headers, hash);
  }
  return hash;
}

/** The first 8 hex characters of the key's SHA-256: tells keys apart without any of a key's own characters. */
export function fingerprintOf(hash: string): string {
  return hash.slice(0, 8);
}

export function generateApiKey(): string {
  return `llk_${randomBytes(32).toString('base64url')}`;
}
