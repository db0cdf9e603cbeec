import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import { LogLensError } from '@loglens/contracts';
import type { RpcClient } from '@loglens/nest-common';
import type { GatewayEnv } from '../app/gateway.env';
import { actorOf, ApiKeyGuard, type AuthenticatedRequest } from './api-key.guard';
import { KeyStore } from './key-store';
import { PUBLIC_ROUTE, QUERY_TOKEN_ROUTE, REQUIRED_ROLE, roleAtLeast, type Role } from './roles';
import { TokenService } from './tokens';

type FakeReq = { headers: Record<string, string>; query?: Record<string, string>; role?: Role; principal?: AuthenticatedRequest['principal'] };

function context(headers: Record<string, string>, meta: { role?: Role; isPublic?: boolean; queryToken?: boolean } = {}, query: Record<string, string> = {}): { ctx: ExecutionContext; req: FakeReq } {
  const req: FakeReq = { headers, query };
  const handler = () => undefined;
  if (meta.role) Reflect.defineMetadata(REQUIRED_ROLE, meta.role, handler);
  if (meta.isPublic) Reflect.defineMetadata(PUBLIC_ROUTE, true, handler);
  if (meta.queryToken) Reflect.defineMetadata(QUERY_TOKEN_ROUTE, true, handler);
  const ctx = {
    getHandler: () => handler,
    getClass: () => class Dummy {},
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof LogLensError) return e.code;
    throw e;
  }
  return 'allowed';
}

function store(apiKeys: string): KeyStore {
  return new KeyStore({ API_KEYS: apiKeys } as GatewayEnv, {} as NatsConnection, {} as RpcClient);
}

describe('ApiKeyGuard', () => {
  const keys = store('viewer:viewer-key-1,operator:operator-key-1');
  const tokens = new TokenService({ GATEWAY_TOKEN_SECRET: 'a-secret-of-at-least-32-characters!!' } as GatewayEnv, keys);
  const guard = new ApiKeyGuard(new Reflector(), keys, tokens);

  it('needs a key on every non-public route', () => {
    expect(codeOf(() => guard.canActivate(context({}).ctx))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => guard.canActivate(context({ 'x-api-key': 'wrong-key-1' }).ctx))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => guard.canActivate(context({}, { isPublic: true }).ctx))).toBe('allowed');
  });

  it('accepts the key as x-api-key or as a Bearer token, and records the role', () => {
    const viaHeader = context({ 'x-api-key': 'viewer-key-1' });
    expect(guard.canActivate(viaHeader.ctx)).toBe(true);
    expect(viaHeader.req.role).toBe('viewer');
    expect(guard.canActivate(context({ authorization: 'Bearer operator-key-1' }).ctx)).toBe(true);
  });

  it('refuses a role below the one the route needs with 403', () => {
    expect(codeOf(() => guard.canActivate(context({ 'x-api-key': 'viewer-key-1' }, { role: 'operator' }).ctx))).toBe('FORBIDDEN');
    expect(codeOf(() => guard.canActivate(context({ 'x-api-key': 'operator-key-1' }, { role: 'operator' }).ctx))).toBe('allowed');
    expect(codeOf(() => guard.canActivate(context({ 'x-api-key': 'operator-key-1' }, { role: 'admin' }).ctx))).toBe('FORBIDDEN');
  });

  it('takes a signed token from the URL where the route allows it, and never a key', () => {
    const principal = keys.verify('viewer-key-1');
    if (!principal) throw new Error('viewer key not known');
    const { token } = tokens.issue(principal);
    const withToken = context({}, { queryToken: true }, { token });
    expect(guard.canActivate(withToken.ctx)).toBe(true);
    expect(withToken.req.role).toBe('viewer');
    expect(codeOf(() => guard.canActivate(context({}, { queryToken: true }, { api_key: 'viewer-key-1' }).ctx))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => guard.canActivate(context({}, {}, { token }).ctx))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => guard.canActivate(context({}, { queryToken: true }, { token: `${token.slice(0, -2)}xx` }).ctx))).toBe('UNAUTHENTICATED');
  });
});

describe('TokenService', () => {
  const keys = store('viewer:viewer-key-1');
  const secret = 'a-secret-of-at-least-32-characters!!';
  const principal = keys.verify('viewer-key-1');
  if (!principal) throw new Error('viewer key not known');

  it('issues tokens that live at most 5 minutes and work on every gateway sharing the secret', () => {
    const a = new TokenService({ GATEWAY_TOKEN_SECRET: secret } as GatewayEnv, keys);
    const b = new TokenService({ GATEWAY_TOKEN_SECRET: secret } as GatewayEnv, keys);
    const now = Date.parse('2026-12-01T00:00:00Z');
    const issued = a.issue(principal, now);
    expect(Date.parse(issued.expiresAt) - now).toBeLessThanOrEqual(5 * 60_000);
    expect(b.verify(issued.token, now + 60_000)).toMatchObject({ id: principal.id, role: 'viewer' });
    expect(b.verify(issued.token, now + 5 * 60_000)).toBeUndefined();
    expect(new TokenService({ GATEWAY_TOKEN_SECRET: 'another-secret-of-at-least-32-chars' } as GatewayEnv, keys).verify(issued.token, now)).toBeUndefined();
  });

  it('refuses a token whose key is no longer known (revoked)', () => {
    const other = store('viewer:some-other-key-1');
    const issued = new TokenService({ GATEWAY_TOKEN_SECRET: secret } as GatewayEnv, keys).issue(principal);
    expect(new TokenService({ GATEWAY_TOKEN_SECRET: secret } as GatewayEnv, other).verify(issued.token)).toBeUndefined();
  });
});

describe('roles', () => {
  it('orders viewer < operator < admin', () => {
    expect(roleAtLeast('admin', 'operator')).toBe(true);
    expect(roleAtLeast('viewer', 'operator')).toBe(false);
  });
});

describe('actorOf', () => {
  it('names the role and a fingerprint that tells keys apart without any of the key\'s characters', () => {
    const keys = store('operator:opkey-secret-0001,operator:opkey-secret-0002');
    const a = actorOf({ principal: keys.verify('opkey-secret-0001') } as AuthenticatedRequest);
    const b = actorOf({ principal: keys.verify('opkey-secret-0002') } as AuthenticatedRequest);
    expect(a).toMatch(/^operator:[0-9a-f]{8}$/);
    expect(b).toMatch(/^operator:[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('opke');
  });
});

describe('KeyStore', () => {
  it('never keeps an API_KEYS key itself, only its hash', () => {
    const keys = store('admin:admin-key-secret-1');
    expect(JSON.stringify(keys)).not.toContain('admin-key-secret-1');
    expect(keys.verify('admin-key-secret-1')).toMatchObject({ role: 'admin', id: expect.stringMatching(/^bootstrap:[0-9a-f]{8}$/) });
    expect(keys.verify('admin-key-secret-2')).toBeUndefined();
  });
});

describe('KeyStore reloads', () => {
  it('gives a reload asked for during a fetch the next fetch, and shares that one among callers', async () => {
    let calls = 0;
    const releases: Array<() => void> = [];
    const rpc = {
      call: () =>
        new Promise((resolve) => {
          calls += 1;
          const hash = calls === 1 ? [] : [{ id: 'k2', name: 'new', role: 'admin', hash: 'a'.repeat(64) }];
          releases.push(() => resolve({ keys: hash }));
        }),
    } as unknown as RpcClient;
    const keys = new KeyStore({ API_KEYS: '' } as GatewayEnv, {} as NatsConnection, rpc);
    const first = keys.reload();
    const second = keys.reload();
    const third = keys.reload();
    expect(calls).toBe(1);
    releases[0]();
    await first;
    await waitUntil(() => calls === 2);
    releases[1]();
    await Promise.all([second, third]);
    expect(calls).toBe(2);
    expect(keys.byId('k2')).toMatchObject({ name: 'new', role: 'admin' });
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await Promise.resolve();
  if (!check()) throw new Error('condition never held');
}
