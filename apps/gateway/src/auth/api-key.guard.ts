import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpRequest } from '../http/http-adapter';
import { LogLensError } from '@loglens/contracts';
import { KeyStore, type Principal } from './key-store';
import { PUBLIC_ROUTE, QUERY_TOKEN_ROUTE, REQUIRED_ROLE, roleAtLeast, type Role } from './roles';
import { TokenService } from './tokens';

/** An Express or Fastify request, with what authentication learnt about it. */
export interface AuthenticatedRequest extends HttpRequest {
  query?: Record<string, unknown>;
  role?: Role;
  /** the key the request acts as (set before the body is read when the request has one; see authenticateBeforeBody) */
  principal?: Principal;
}

/**
 * Checks `Authorization: Bearer <key>` or `x-api-key` on every route that is not marked public (or `?token=` where a
 * route allows it), then the role the route needs.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: KeyStore,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const need = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'viewer';
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = req.principal ?? this.authenticate(req, this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN_ROUTE, targets) ?? false);
    req.principal = principal;
    req.role = principal.role;
    if (!roleAtLeast(principal.role, need)) throw new LogLensError('FORBIDDEN', `this action needs the ${need} role; the key has ${principal.role}`);
    return true;
  }

  private authenticate(req: AuthenticatedRequest, queryToken: boolean): Principal {
    const key = keyOf(req);
    if (key) {
      const principal = this.keys.verify(key);
      if (!principal) throw new LogLensError('UNAUTHENTICATED', 'the API key is not valid');
      return principal;
    }
    const token = queryToken ? req.query?.['token'] : undefined;
    if (typeof token === 'string' && token) {
      const principal = this.tokens.verify(token);
      if (!principal) throw new LogLensError('UNAUTHENTICATED', 'the token is not valid, has expired, or its key was revoked: get a new one from POST /api/v1/auth/tokens');
      return principal;
    }
    if (typeof req.query?.['api_key'] === 'string') {
      throw new LogLensError('UNAUTHENTICATED', 'keys are not accepted in URLs: get a short-lived token from POST /api/v1/auth/tokens and pass it as ?token=');
    }
    throw new LogLensError('UNAUTHENTICATED', `an API key is required: send "Authorization: Bearer <key>" or "x-api-key: <key>"${queryToken ? ' (or ?token=<token from POST /api/v1/auth/tokens>)' : ''}`);
  }
}

/** The key a request presents in `x-api-key` or `Authorization: Bearer`, if any. */
export function keyOf(req: { headers: IncomingHttpHeaders }): string | null {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return m ? m[1] : null;
}

/**
 * Who did it, for the history: the key's role and fingerprint (8 hex characters of its SHA-256), which tells keys
 * apart without putting any of a key's own characters in the records. The audit log also names the key.
 */
export function actorOf(req: AuthenticatedRequest): string {
  return `${req.principal?.role ?? req.role ?? 'unknown'}:${req.principal?.fingerprint ?? 'no-key'}`;
}
