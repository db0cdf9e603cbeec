import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { LogLensError } from '@loglens/contracts';
import { actorOf, ApiKeyGuard, type AuthenticatedRequest } from './api-key.guard';
import { parseApiKeys, PUBLIC_ROUTE, REQUIRED_ROLE, roleAtLeast, type Role } from './roles';

function context(headers: Record<string, string>, meta: { role?: Role; isPublic?: boolean } = {}): { ctx: ExecutionContext; req: { headers: Record<string, string>; role?: Role } } {
  const req: { headers: Record<string, string>; role?: Role } = { headers };
  const handler = () => undefined;
  if (meta.role) Reflect.defineMetadata(REQUIRED_ROLE, meta.role, handler);
  if (meta.isPublic) Reflect.defineMetadata(PUBLIC_ROUTE, true, handler);
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

describe('ApiKeyGuard', () => {
  const guard = new ApiKeyGuard(new Reflector(), parseApiKeys('viewer:viewer-key-1,operator:operator-key-1'));

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
});

describe('roles', () => {
  it('orders viewer < operator < admin', () => {
    expect(roleAtLeast('admin', 'operator')).toBe(true);
    expect(roleAtLeast('viewer', 'operator')).toBe(false);
  });
});

describe('actorOf', () => {
  it('names the role and a fingerprint that tells keys apart without any of the key\'s characters', () => {
    const a = actorOf({ headers: { 'x-api-key': 'opkey-secret-0001' }, role: 'operator' } as unknown as AuthenticatedRequest);
    const b = actorOf({ headers: { authorization: 'Bearer opkey-secret-0002' }, role: 'operator' } as unknown as AuthenticatedRequest);
    expect(a).toMatch(/^operator:[0-9a-f]{8}$/);
    expect(b).toMatch(/^operator:[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('opke');
    expect(actorOf({ headers: { 'x-api-key': 'opkey-secret-0001' }, role: 'operator' } as unknown as AuthenticatedRequest)).toBe(a);
  });
});
