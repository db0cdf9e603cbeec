import type { NatsConnection } from 'nats';
import {
  RegistrySubjects,
  type HistoryReply,
} from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { RpcClient } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import {
  connectTestNats,
  deployVersion,
  dropSchema,
  registerVersion,
  spawnService,
  testDatabaseUrl,
  testNatsUrl,
  uniqueSchema,
  type RunningService,
} from '@loglens/testing';

const OPERATOR = 'operator-key-idem-1';
const OTHER_OPERATOR = 'operator-key-idem-2';

const model = (bias: number) =>
  writeLogisticRegressionModel({
    featureNames: ['a', 'b', 'c'],
    mean: [0, 0, 0],
    scale: [1, 1, 1],
    weights: [0.1, 0.1, 0.1],
    bias,
  });

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T & { code?: string; message?: string; details?: string[] };
  replayed: boolean;
}

describe('safe model changes through two gateways: expectedCurrent preconditions and Idempotency-Key', () => {
  const schema = uniqueSchema('idempotency');
  const services: RunningService[] = [];
  const gateways: string[] = [];
  let nc: NatsConnection;
  let rpc: RpcClient;

  async function call<T = Record<string, unknown>>(
    gateway: number,
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const res = await fetch(`${gateways[gateway]}${route}`, {
      method,
      headers: {
        'x-api-key': OPERATOR,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as Answer<T>['body'],
      replayed: res.headers.get('idempotent-replayed') === 'true',
    };
  }

  async function serving(name: string): Promise<string | null> {
    const entries = await rollbacksAndDeploys(name);
    return entries[0]?.to ?? null;
  }

  async function rollbacksAndDeploys(name: string): Promise<HistoryReply['entries']> {
    const h = await rpc.call(RegistrySubjects.history, { model: name, limit: 1000 });
    return h.entries.filter((e) => e.action === 'deploy' || e.action === 'rollback');
  }

  /** name@1 and name@2 registered and validated, name@1 then name@2 deployed: a rollback goes back to @1. */
  async function twoDeployed(name: string): Promise<void> {
    for (const bias of [0, 1]) {
      await registerVersion(rpc, { model: name, onnx: model(bias), createdBy: 'spec' });
    }
    await deployVersion(rpc, `${name}@1`, { actor: 'spec' });
    await deployVersion(rpc, `${name}@2`, { actor: 'spec' });
  }

  beforeAll(async () => {
    nc = await connectTestNats('idempotency-int-spec');
    rpc = new RpcClient(nc, 20_000);
    const env = { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema };
    // two registries and two gateways: a key claimed through one gateway must hold for the other
    services.push(await spawnService('registry', nc, env), await spawnService('registry', nc, env));
    services.push(await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() }));
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      services.push(
        await spawnService('gateway', nc, {
          NATS_URL: testNatsUrl(),
          GATEWAY_PORT: String(port),
          GATEWAY_HOST: '127.0.0.1',
          API_KEYS: `operator:${OPERATOR},operator:${OTHER_OPERATOR}`,
          ADMIN_DIST: 'no-console',
        }),
      );
      gateways.push(`http://127.0.0.1:${port}`);
    }
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await nc?.close();
    await dropSchema(schema);
  });

  it('refuses a rollback whose expectedCurrent is stale with 409 naming the version serving now, and changes nothing', async () => {
    await twoDeployed('pre');
    const first = await call(0, 'POST', '/model-management/rollback', {
      model: 'pre',
      expectedCurrent: 'pre@2',
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ from: 'pre@2', to: 'pre@1' });
    // the same rollback again (a client retrying): without the precondition it would flip back to @2
    const again = await call(1, 'POST', '/model-management/rollback', {
      model: 'pre',
      expectedCurrent: 'pre@2',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONFLICT');
    expect(again.body.message).toMatch(/model "pre" is at pre@1, not pre@2/);
    expect(again.body.details).toEqual(['current: pre@1']);
    // If-Match says the same
    const viaHeader = await call(
      0,
      'POST',
      '/model-management/rollback',
      { model: 'pre' },
      { 'if-match': '"pre@2"' },
    );
    expect(viaHeader.status).toBe(409);
    expect(await serving('pre')).toBe('pre@1');
    expect((await rollbacksAndDeploys('pre')).length).toBe(3);
  });

  it('applies the same precondition to both deploy routes and to alias moves', async () => {
    const stale = await call(0, 'POST', '/api/v1/models/pre@2/deploy', { expectedCurrent: 'pre@2' });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/pre@1/);
    const staleMgmt = await call(1, 'POST', '/model-management/pre@2/deploy', { expectedCurrent: '2' });
    expect(staleMgmt.status).toBe(409);
    const ok = await call(1, 'POST', '/model-management/pre@2/deploy', { expectedCurrent: '1' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ from: 'pre@1', to: 'pre@2' });

    expect(
      (
        await call(0, 'PUT', '/model-management/models/pre/aliases/production', {
          version: '1',
          expectedCurrent: 'none',
        })
      ).status,
    ).toBe(200);
    const moved = await call(1, 'PUT', '/model-management/models/pre/aliases/production', {
      version: '2',
      expectedCurrent: 'pre@2',
    });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toMatch(/alias pre@production is at pre@1, not pre@2/);
    const badHeader = await call(0, 'DELETE', '/model-management/models/pre/aliases/production', undefined, {
      'if-match': 'pre@2',
    });
    expect(badHeader.status).toBe(409);
    expect(
      (
        await call(0, 'DELETE', '/model-management/models/pre/aliases/production', undefined, {
          'if-match': 'pre@1',
        })
      ).status,
    ).toBe(200);
  });

  it('moves once for a rollback repeated with the same Idempotency-Key, through either gateway, and replays the first answer', async () => {
    await twoDeployed('idem');
    const headers = { 'idempotency-key': 'rollback-idem-1' };
    const first = await call(
      0,
      'POST',
      '/model-management/rollback',
      { model: 'idem', reason: 'night shift' },
      headers,
    );
    expect(first.status).toBe(200);
    expect(first.replayed).toBe(false);
    for (const gateway of [1, 0, 1]) {
      const again = await call(
        gateway,
        'POST',
        '/model-management/rollback',
        { reason: 'night shift', model: 'idem' },
        headers,
      );
      expect(again).toEqual({ status: 200, body: first.body, replayed: true });
    }
    expect(await serving('idem')).toBe('idem@1');
    expect((await rollbacksAndDeploys('idem')).map((e) => e.action)).toEqual([
      'rollback',
      'deploy',
      'deploy',
    ]);
  });

  it('answers 422 naming the conflict when the key comes back with another request', async () => {
    const reused = await call(
      1,
      'POST',
      '/model-management/rollback',
      { model: 'idem', reason: 'another reason' },
      { 'idempotency-key': 'rollback-idem-1' },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.body.message).toMatch(/rollback-idem-1.*POST \/model-management\/rollback/);
    // keys are per caller: another API key may use the same string for its own request
    const other = await call(
      0,
      'PUT',
      '/model-management/idem@1/tags',
      { tags: ['x'] },
      { 'idempotency-key': 'rollback-idem-1', 'x-api-key': OTHER_OPERATOR },
    );
    expect(other.status).toBe(200);
    expect(await serving('idem')).toBe('idem@1');
  });

  it('replays a refused change too (a 4xx is an answer), and validates the key', async () => {
    const headers = { 'idempotency-key': 'deploy-missing' };
    const first = await call(0, 'POST', '/model-management/nosuch@1/deploy', {}, headers);
    expect(first.status).toBe(404);
    const again = await call(1, 'POST', '/model-management/nosuch@1/deploy', {}, headers);
    expect(again).toEqual({ ...first, replayed: true });
    const bad = await call(
      0,
      'POST',
      '/model-management/rollback',
      { model: 'idem' },
      { 'idempotency-key': 'has space' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/Idempotency-Key/);
  });

  it('moves once when identical requests with one key arrive at both gateways at the same time', async () => {
    await twoDeployed('race');
    // the worker is done with its part (validation); stopped so that its artifact reads do not run beside the race:
    // PGlite's socket server mixes up statements of concurrent non-transactional reads (not a Postgres behaviour)
    await services.find((s) => s.name === 'inference-worker')?.stop();
    const headers = { 'idempotency-key': 'race-rollback' };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(i % 2, 'POST', '/model-management/rollback', { model: 'race' }, headers),
      ),
    );
    expect(answers.map((a) => [a.status, a.status === 200 ? '' : JSON.stringify(a.body)])).toEqual(
      new Array(8).fill([200, '']),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers.filter((a) => !a.replayed).length).toBe(1);
    expect((await rollbacksAndDeploys('race')).filter((e) => e.action === 'rollback').length).toBe(1);
    expect(await serving('race')).toBe('race@1');
  });
});
