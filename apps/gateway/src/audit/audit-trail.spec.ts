import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AppModule } from '../app/app.module';
import type { GatewayEnv } from '../app/gateway.env';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { AUDITED_ROUTES, NOT_AUDITED_ROUTES, auditEntryOf } from './audit-trail';

/** Every `METHOD /route` the gateway's controllers declare. */
function declaredRoutes(): string[] {
  const controllers = AppModule.forRoot({} as GatewayEnv).controllers ?? [];
  return controllers.flatMap((c) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, c) ?? '');
    const proto = (c as { prototype: Record<string, unknown> }).prototype;
    return Object.getOwnPropertyNames(proto)
      .map((name) => proto[name])
      .filter((fn): fn is object => typeof fn === 'function' && Reflect.hasMetadata(PATH_METADATA, fn))
      .map((fn) => {
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as number];
        const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, fn))].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
        return `${method} ${path}`;
      });
  });
}

describe('audit trail', () => {
  it('has decided for every mutating route whether it is a state change (audited) or not', () => {
    const mutating = declaredRoutes().filter((r) => /^(POST|PUT|PATCH|DELETE) /.test(r));
    const undecided = mutating.filter((r) => !(r in AUDITED_ROUTES) && !NOT_AUDITED_ROUTES.includes(r));
    expect(undecided).toEqual([]);
    // and the table names no route that does not exist
    expect(Object.keys(AUDITED_ROUTES).filter((r) => !mutating.includes(r))).toEqual([]);
    expect(AUDITED_ROUTES['PUT /model-management/:version/tags']).toBe('version.tags');
  });

  it('records who, what, on which version, from where and how it ended — refusals included', () => {
    const req = {
      method: 'PUT',
      route: { path: '/model-management/:version/tags' },
      params: { version: 'hdfs@2' },
      body: { tags: ['x'] },
      ip: '10.1.2.3',
      socket: {},
      principal: { id: '6f1c1f0e-0000-4000-8000-000000000001', name: 'ci', role: 'operator', fingerprint: 'abcdef01' },
    } as unknown as AuthenticatedRequest;
    expect(auditEntryOf(req, 200, new Date('2026-12-01T00:00:00Z'))).toEqual({
      at: '2026-12-01T00:00:00.000Z',
      actorId: '6f1c1f0e-0000-4000-8000-000000000001',
      actorName: 'ci',
      role: 'operator',
      action: 'version.tags',
      method: 'PUT',
      route: '/model-management/:version/tags',
      target: 'hdfs@2',
      clientIp: '10.1.2.3',
      status: 200,
    });
    expect(auditEntryOf(req, 403)).toMatchObject({ status: 403, errorCode: 'FORBIDDEN' });
    expect(auditEntryOf(req, 499)).toMatchObject({ status: 499, errorCode: 'CLIENT_CLOSED_REQUEST' });
    expect(auditEntryOf({ ...req, route: { path: '/api/v1/models/predict' }, method: 'POST' } as unknown as AuthenticatedRequest, 200)).toBeNull();
  });
});
