import type { NatsConnection } from 'nats';
import { AuthSubjects, type ApiKeyDto, type AuditEntryDto, type ListAuditReply } from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { RpcClient } from '@loglens/nest-common';
import { connectTestNats, dropSchema, errorOf, eventsUrl, modelBytes, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

const ADMIN = 'admin-key-auth-spec-1';
const OPERATOR = 'operator-key-auth-spec-1';
const VIEWER = 'viewer-key-auth-spec-1';
const SECRET = 'token-secret-shared-by-both-gateways-0001';

interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/**
 * Keys, tokens and the audit log on real processes: a registry on a real Postgres and two gateways (gateways scale
 * horizontally, so a key made or revoked through one must hold on the other).
 */
describe('gateway authentication: stored keys, tokens, audit log', () => {
  const schema = uniqueSchema('e2e_auth');
  let nc: NatsConnection;
  let registry: RunningService;
  const gateways: RunningService[] = [];
  let a = '';
  let b = '';

  async function call<T = Record<string, unknown>>(base: string, method: string, path: string, key: string | null, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (key) headers['x-api-key'] = key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  async function gateway(): Promise<string> {
    const port = await freePort();
    gateways.push(
      await spawnService('gateway', nc, { NATS_URL: testNatsUrl(), GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1', API_KEYS: `admin:${ADMIN},operator:${OPERATOR},viewer:${VIEWER}`, GATEWAY_TOKEN_SECRET: SECRET }),
    );
    return `http://127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    nc = await connectTestNats('auth-int-spec');
    registry = await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });
    a = await gateway();
    b = await gateway();
  });

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await registry?.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('answers a 9 MiB body without a valid key 401 before reading it (a parsed body would be a 400)', async () => {
    const garbage = Buffer.alloc(9 * 1024 * 1024, '{');
    for (const key of [null, 'not-a-key-at-all']) {
      const res = await fetch(`${a}/model-management/rollback`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) }, body: garbage });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    // the same body with a key is read and parsed, and refused for what it is
    const parsed = await fetch(`${a}/model-management/rollback`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': OPERATOR }, body: garbage });
    expect(parsed.status).toBe(400);
    // the predict fast path keeps its answers
    expect((await call(a, 'POST', '/api/v1/models/predict', null, { model: 'm', rows: [[1]] })).status).toBe(401);
    expect((await call(a, 'POST', '/api/v1/models/predict', VIEWER, '{"rows": [')).status).toBe(400);
  });

  it('lets only admin keys manage keys and read the audit log', async () => {
    for (const key of [VIEWER, OPERATOR]) {
      expect((await call(a, 'GET', '/api/v1/auth/keys', key)).body).toMatchObject({ code: 'FORBIDDEN' });
      expect((await call(a, 'POST', '/api/v1/auth/keys', key, { name: 'x', role: 'viewer' })).status).toBe(403);
      expect((await call(a, 'GET', '/model-management/audit', key)).status).toBe(403);
    }
    expect((await call(a, 'GET', '/api/v1/auth/keys', ADMIN)).status).toBe(200);
  });

  it('creates a key shown once, lists it without the key, and every gateway accepts it', async () => {
    const created = await call<ApiKeyDto & { key: string }>(a, 'POST', '/api/v1/auth/keys', ADMIN, { name: 'ci-deployer', role: 'operator' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci-deployer', role: 'operator', key: expect.stringMatching(/^llk_[A-Za-z0-9_-]{43}$/), fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/) });
    const key = created.body.key;
    const list = await call<{ keys: ApiKeyDto[] }>(a, 'GET', '/api/v1/auth/keys', ADMIN);
    expect(list.body.keys.map((k) => k.name)).toContain('ci-deployer');
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect((await call(a, 'GET', '/api/v1/auth/whoami', key)).body).toMatchObject({ role: 'operator', name: 'ci-deployer' });
    // the other gateway hears of it from the registry's event
    await waitFor('gateway b to accept the new key', async () => ((await call(b, 'GET', '/api/v1/auth/whoami', key)).status === 200 ? true : undefined), { timeoutMs: 10_000 });

    expect((await call(a, 'POST', '/api/v1/auth/keys', ADMIN, { name: '', role: 'root' })).body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/name|role/) });
  });

  it('revokes a key on every gateway within seconds, its tokens included; refuses to revoke twice or the last admin', async () => {
    const created = (await call<ApiKeyDto & { key: string }>(a, 'POST', '/api/v1/auth/keys', ADMIN, { name: 'to-revoke', role: 'viewer' })).body;
    await waitFor('gateway b to accept the key', async () => ((await call(b, 'GET', '/api/v1/models', created.key)).status === 200 ? true : undefined), { timeoutMs: 10_000 });
    const url = await eventsUrl(b, created.key);
    const abort = new AbortController();
    const stream = await fetch(url, { signal: abort.signal });
    expect(stream.status).toBe(200);
    abort.abort();

    const revoked = await call<ApiKeyDto>(a, 'DELETE', `/api/v1/auth/keys/${created.id}`, ADMIN);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    await waitFor('gateway b to refuse the revoked key', async () => ((await call(b, 'GET', '/api/v1/models', created.key)).status === 401 ? true : undefined), { timeoutMs: 10_000 });
    expect((await call(a, 'GET', '/api/v1/models', created.key)).status).toBe(401);
    expect((await fetch(url)).status).toBe(401);

    expect((await call(a, 'DELETE', `/api/v1/auth/keys/${created.id}`, ADMIN)).body).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/revoked already/) });
    expect((await call(a, 'DELETE', '/api/v1/auth/keys/6f1c1f0e-0000-4000-8000-000000000001', ADMIN)).body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await call(a, 'DELETE', '/api/v1/auth/keys/not-an-id', ADMIN)).body).toMatchObject({ code: 'VALIDATION_FAILED' });

    const admin = (await call<ApiKeyDto & { key: string }>(a, 'POST', '/api/v1/auth/keys', ADMIN, { name: 'only-admin', role: 'admin' })).body;
    expect((await call(a, 'DELETE', `/api/v1/auth/keys/${admin.id}`, ADMIN)).body).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/last admin key/) });
  });

  it('makes first keys only on a registry that has none (so a second npm start, or a second launcher, makes none)', async () => {
    const rpc = new RpcClient(nc, 15_000);
    const req = { name: 'first-admin', role: 'admin' as const, hash: 'f'.repeat(64), actor: 'spec', onlyIfNone: true };
    expect(await errorOf(rpc.call(AuthSubjects.createKey, req))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/exist already/) });
    expect(await errorOf(rpc.call(AuthSubjects.createKey, { ...req, hash: 'not-a-hash' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('streams events for a token and never for a key in the URL', async () => {
    const token = await call<{ token: string; expiresAt: string }>(a, 'POST', '/api/v1/auth/tokens', VIEWER);
    expect(token.status).toBe(201);
    expect(Date.parse(token.body.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    // signed with the secret both gateways share: good on b too
    const abort = new AbortController();
    const res = await fetch(`${b}/api/v1/events?token=${encodeURIComponent(token.body.token)}`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    abort.abort();
    const withKey = await call(a, 'GET', `/api/v1/events?api_key=${VIEWER}`, null);
    expect(withKey.status).toBe(401);
    expect(withKey.body).toMatchObject({ message: expect.stringMatching(/token/) });
    expect((await call(a, 'GET', '/api/v1/events?token=v1.forged.token', null)).status).toBe(401);
  });

  it('loads the stored keys soon after the registry comes up, when a gateway started before it', async () => {
    const key = (await call<ApiKeyDto & { key: string }>(a, 'POST', '/api/v1/auth/keys', ADMIN, { name: 'early-gateway', role: 'viewer' })).body.key;
    await registry.stop();
    const port = await freePort();
    const early = await spawnService('gateway', nc, { NATS_URL: testNatsUrl(), GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1', API_KEYS: `admin:${ADMIN}`, GATEWAY_TOKEN_SECRET: SECRET });
    gateways.push(early);
    const c = `http://127.0.0.1:${port}`;
    expect((await call(c, 'GET', '/api/v1/auth/whoami', key)).status).toBe(401);
    registry = await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });
    // no key changed, so no event: the gateway's own retry finds them (well before its 30 s periodic reload)
    await waitFor('the early gateway to accept a stored key', async () => ((await call(c, 'GET', '/api/v1/auth/whoami', key)).status === 200 ? true : undefined), { timeoutMs: 15_000 });
  });

  it('records tag changes and key changes in the audit log, with who, what, where and the outcome', async () => {
    const rpc = new RpcClient(nc, 30_000);
    const model = modelBytes('sklearn_onnx_docs/logreg_iris.onnx');
    const ref = await registerVersion(rpc, { model: 'audited', onnx: model, metadata: {}, createdBy: 'auth-int-spec' });
    expect((await call(a, 'PUT', `/model-management/${ref}/tags`, OPERATOR, { tags: ['reviewed'] })).status).toBe(200);
    expect((await call(b, 'PUT', `/model-management/${ref}/tags`, VIEWER, { tags: ['sneaky'] })).status).toBe(403);

    const tagged = await waitFor('both tag attempts in the audit log', async () => {
      const page = await call<ListAuditReply>(a, 'GET', '/model-management/audit?action=version.tags', ADMIN);
      return page.body.entries.length >= 2 ? page.body.entries : undefined;
    }, { timeoutMs: 10_000 });
    // newest first by when each gateway answered, whichever gateway's batch reached the registry first
    expect(tagged.map((e) => e.role)).toEqual(['viewer', 'operator']);
    expect(tagged[0]).toMatchObject({ action: 'version.tags', method: 'PUT', route: '/model-management/:version/tags', target: ref, role: 'viewer', status: 403, errorCode: 'FORBIDDEN', clientIp: expect.stringMatching(/127\.0\.0\.1/) });
    expect(tagged[1]).toMatchObject({ action: 'version.tags', target: ref, role: 'operator', actorId: expect.stringMatching(/^bootstrap:[0-9a-f]{8}$/), status: 200 });

    const keyChanges = await call<ListAuditReply>(a, 'GET', '/model-management/audit?action=key.&limit=2', ADMIN);
    expect(keyChanges.body.entries).toHaveLength(2);
    expect(keyChanges.body.entries.every((e: AuditEntryDto) => e.action.startsWith('key.') && e.role === 'admin')).toBe(true);
    const next = await call<ListAuditReply>(a, 'GET', `/model-management/audit?action=key.&limit=2&cursor=${keyChanges.body.nextCursor}`, ADMIN);
    expect(next.body.entries.length).toBeGreaterThan(0);
    const seen = new Set(keyChanges.body.entries.map((e) => e.id));
    expect(next.body.entries.some((e) => seen.has(e.id))).toBe(false);
    expect(Date.parse(next.body.entries[0].at)).toBeLessThanOrEqual(Date.parse(keyChanges.body.entries[1].at));
    // predict is not a state change: not audited
    const actions = (await call<ListAuditReply>(a, 'GET', '/model-management/audit?limit=500', ADMIN)).body.entries.map((e) => e.action);
    expect(actions.some((x) => x.includes('predict'))).toBe(false);
    expect((await call(a, 'GET', '/model-management/audit?from=yesterday', ADMIN)).body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/from/) });
  });
});
