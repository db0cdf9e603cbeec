import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { LogLensError } from '@loglens/contracts';
import { PUBLIC_ROUTE, QUERY_KEY_ROUTE, REQUIRED_ROLE, roleAtLeast, type Role } from './roles';

export const API_KEYS = Symbol('API_KEYS');

export interface AuthenticatedRequest extends Request {
  role?: Role;
}

/** Checks `Authorization: Bearer <key>` or `x-api-key` on every route that is not marked public. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEYS) private readonly keys: Map<string, Role>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const need = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'viewer';
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const queryKey = this.reflector.getAllAndOverride<boolean>(QUERY_KEY_ROUTE, targets) && typeof req.query?.['api_key'] === 'string' ? (req.query['api_key'] as string) : null;
    const presented = keyOf(req) ?? queryKey;
    if (!presented) throw new LogLensError('UNAUTHENTICATED', 'an API key is required: send "Authorization: Bearer <key>" or "x-api-key: <key>"');
    const role = roleOfKey(this.keys, presented);
    if (!role) throw new LogLensError('UNAUTHENTICATED', 'the API key is not valid');
    if (!roleAtLeast(role, need)) throw new LogLensError('FORBIDDEN', `this action needs the ${need} role; the key has ${role}`);
    req.role = role;
    return true;
  }
}

/** The role of a presented key, compared in constant time with every configured key; undefined if none matches. */
export function roleOfKey(keys: ReadonlyMap<string, Role>, presented: string): Role | undefined {
  const given = Buffer.from(presented);
  for (const [known, role] of encodedKeys(keys)) {
    if (known.length === given.length && timingSafeEqual(known, given)) return role;
  }
  return undefined;
}

/** The configured keys as bytes, encoded once per key set rather than on every request. */
const encoded = new WeakMap<ReadonlyMap<string, Role>, ReadonlyArray<readonly [Buffer, Role]>>();
function encodedKeys(keys: ReadonlyMap<string, Role>): ReadonlyArray<readonly [Buffer, Role]> {
  let list = encoded.get(keys);
  if (!list) {
    list = [...keys].map(([key, role]) => [Buffer.from(key), role] as const);
    encoded.set(keys, list);
  }
  return list;
}

/** The key a request presents in `x-api-key` or `Authorization: Bearer`, if any. */
export function keyOf(req: Request): string | null {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return m ? m[1] : null;
}

/**
 * Who did it, for the history and audit trail: the key's role and a fingerprint of the key (8 hex characters of its
 * SHA-256), which tells keys apart without putting any of a key's own characters in the records.
 */
export function actorOf(req: AuthenticatedRequest): string {
  const key = keyOf(req);
  return `${req.role ?? 'unknown'}:${key ? createHash('sha256').update(key).digest('hex').slice(0, 8) : 'no-key'}`;
}
