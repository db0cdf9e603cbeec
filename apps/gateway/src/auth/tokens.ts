import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { GatewayEnv } from '../app/gateway.env';
import { GATEWAY_ENV } from '../app/tokens';
import type { IssuedToken } from '@loglens/contracts';
import { KeyStore, type Principal } from './key-store';

/** how long a token lives: long enough to open a stream, short enough that a leaked URL is soon worthless */
export const TOKEN_TTL_MS = 5 * 60_000;

export type { IssuedToken } from '@loglens/contracts';

interface TokenClaims {
  /** key id */
  kid: string;
  role: Principal['role'];
  /** expiry, ms since the epoch */
  exp: number;
}

/**
 * Short-lived tokens for credentials that must travel in a URL (EventSource cannot send headers):
 * `v1.<base64url claims>.<base64url HMAC-SHA256>`. Every gateway shares the secret (GATEWAY_TOKEN_SECRET), so a token
 * one gateway issued works on all; a token names its key, and stops working as soon as that key is revoked.
 */
@Injectable()
export class TokenService {
  private readonly secret: Buffer;

  constructor(
    @Inject(GATEWAY_ENV) env: GatewayEnv,
    private readonly keys: KeyStore,
  ) {
    if (env.GATEWAY_TOKEN_SECRET) {
      this.secret = Buffer.from(env.GATEWAY_TOKEN_SECRET, 'utf8');
    } else {
      this.secret = randomBytes(32);
      new Logger('tokens').warn('GATEWAY_TOKEN_SECRET is not set: tokens are signed with a secret of this process and work on this gateway only');
    }
  }

  issue(principal: Principal, now = Date.now()): IssuedToken {
    const claims: TokenClaims = { kid: principal.id, role: principal.role, exp: now + TOKEN_TTL_MS };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `v1.${body}.${this.sign(body)}`, expiresAt: new Date(claims.exp).toISOString() };
  }

  /** The principal of a valid, unexpired token whose key is still active; undefined otherwise. */
  verify(token: string, now = Date.now()): Principal | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'v1') return undefined;
    const given = Buffer.from(parts[2], 'base64url');
    const expected = Buffer.from(this.sign(parts[1]), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return undefined;
    }
    if (typeof claims.exp !== 'number' || claims.exp <= now || typeof claims.kid !== 'string') return undefined;
    return this.keys.byId(claims.kid);
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
