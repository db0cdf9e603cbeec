import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import type { ExperimentDto, HistoryReply, ModelVersionDto } from '@loglens/contracts';
import { StackProcess, uniqueSchema } from '@loglens/testing';

const VIEWER = 'viewer-key-e2e-exp';
const OPERATOR = 'operator-key-e2e-exp';

const model = (bias: number) =>
  Buffer.from(writeLogisticRegressionModel({ featureNames: ['f0', 'f1', 'f2'], mean: [0, 0, 0], scale: [1, 1, 1], weights: [0.1, 0.1, 0.1], bias }));

describe('experiments through the REST API', () => {
  const stack = new StackProcess();

  async function call<T>(method: string, route: string, key: string | null, body?: unknown): Promise<{ status: number; body: T & { code?: string; message?: string; details?: string[] } }> {
    const res = await fetch(`${stack.url}${route}`, {
      method,
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T & { code?: string; message?: string; details?: string[] } };
  }

  async function upload(name: string, file: Buffer): Promise<ModelVersionDto> {
    const form = new FormData();
    form.append('model', new Blob([new Uint8Array(file)]), `${name}.onnx`);
    const res = await fetch(`${stack.url}/model-management/models/${name}/versions`, { method: 'POST', headers: { 'x-api-key': OPERATOR }, body: form });
    expect(res.status).toBe(201);
    return ((await res.json()) as { version: ModelVersionDto }).version;
  }

  const canaryBody = {
    model: 'lr',
    kind: 'canary',
    candidates: [{ version: '2', weight: 10 }],
    stickiness: { key: 'header' },
    canary: { stepWeight: 40, maxWeight: 50, intervalSec: 3600, failureThreshold: 2 },
    criteria: { maxErrorRate: 0.01, maxP99Ms: 500, minSamples: 100 },
  };

  beforeAll(async () => {
    await stack.start({ ...process.env, DATABASE_SCHEMA: uniqueSchema('e2e_experiments'), API_KEYS: `viewer:${VIEWER},operator:${OPERATOR}`, LOGLENS_SEED_MODELS: '0' });
    for (const bias of [0, 1, 2]) await upload('lr', model(bias));
    expect((await call('POST', '/model-management/lr@1/deploy', OPERATOR, {})).status).toBe(200);
  });

  afterAll(async () => {
    await stack.interrupt();
  });

  it('answers a bad experiment with a 400 naming every problem, and a viewer with 403', async () => {
    const bad = await call('POST', '/model-management/experiments', OPERATOR, { ...canaryBody, kind: 'bandit', criteria: { maxErrorRate: 2, maxP99Ms: 500, minSamples: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/kind must be one of ab, canary, shadow/);
    const badCriteria = await call('POST', '/model-management/experiments', OPERATOR, { ...canaryBody, criteria: { maxErrorRate: 2, maxP99Ms: 500, minSamples: 1 } });
    expect(badCriteria.status).toBe(400);
    expect(badCriteria.body.message).toMatch(/maxErrorRate must not be greater than 1/);
    const noCanary = await call('POST', '/model-management/experiments', OPERATOR, { ...canaryBody, canary: undefined });
    expect(noCanary.status).toBe(400);
    expect(noCanary.body.message).toMatch(/a canary experiment needs canary/);
    expect((await call('POST', '/model-management/experiments', VIEWER, canaryBody)).status).toBe(403);
  });

  it('starts a canary, refuses deploys and rollbacks of the model with 409 naming it, and promotes it on request', async () => {
    const created = await call<ExperimentDto>('POST', '/model-management/experiments', OPERATOR, canaryBody);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ model: 'lr', kind: 'canary', control: 'lr@1', candidates: [{ version: 'lr@2', weight: 10 }], state: 'running' });

    const listed = await call<ExperimentDto[]>('GET', '/model-management/experiments?model=lr', VIEWER);
    expect(listed.body.map((e) => e.id)).toEqual([id]);
    expect((await call<ExperimentDto>('GET', `/model-management/experiments/${id}`, VIEWER)).body.state).toBe('running');
    expect((await call('GET', '/model-management/experiments/not-an-id', VIEWER)).status).toBe(404);

    const deploy = await call('POST', '/model-management/lr@3/deploy', OPERATOR, {});
    expect(deploy.status).toBe(409);
    expect(deploy.body.message).toContain(`canary experiment ${id}`);
    const rollback = await call('POST', '/model-management/rollback', OPERATOR, { model: 'lr', to: '3' });
    expect(rollback.status).toBe(409);
    expect(rollback.body.message).toContain(id);

    // the x-loglens-route header is the sticky key; x-loglens-model-version names the arm that answered
    const arms = new Map<string, string>();
    for (let k = 0; k < 80; k++) {
      for (let round = 0; round < 2; round++) {
        const res = await fetch(`${stack.url}/api/v1/models/predict`, {
          method: 'POST',
          headers: { 'x-api-key': VIEWER, 'content-type': 'application/json', 'x-loglens-route': `user-${k}` },
          body: JSON.stringify({ model: 'lr', rows: [[1, 2, 3]] }),
        });
        expect(res.status).toBe(200);
        const version = res.headers.get('x-loglens-model-version')!;
        expect(((await res.json()) as { modelVersion: string }).modelVersion).toBe(version);
        if (round === 0) arms.set(`user-${k}`, version);
        else expect(version).toBe(arms.get(`user-${k}`));
      }
    }
    expect(new Set(arms.values())).toEqual(new Set(['lr@1', 'lr@2']));

    expect((await call('POST', `/model-management/experiments/${id}/pause`, VIEWER)).status).toBe(403);
    expect((await call('POST', `/model-management/experiments/${id}/explode`, OPERATOR, {})).status).toBe(404);
    expect((await call<ExperimentDto>('POST', `/model-management/experiments/${id}/pause`, OPERATOR, { reason: 'lunch' })).body.state).toBe('paused');
    expect((await call<ExperimentDto>('POST', `/model-management/experiments/${id}/resume`, OPERATOR, {})).body.state).toBe('running');

    const report = await call<{ arms: Array<{ version: string }>; comparisons: Array<{ anomalyRate: { nA: number; nB: number } }>; method: string }>(
      'GET',
      `/model-management/experiments/${id}/report`,
      VIEWER,
    );
    expect(report.status).toBe(200);
    expect(report.body.arms.map((a) => a.version)).toEqual(['lr@1', 'lr@2']);
    expect(report.body.method).toMatch(/z-test/);

    const promoted = await call<ExperimentDto>('POST', `/model-management/experiments/${id}/promote`, OPERATOR, { reason: 'ship it' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.state).toBe('promoted');
    const history = await call<HistoryReply>('GET', '/model-management/history?model=lr', VIEWER);
    expect(history.body.entries[0]).toMatchObject({ kind: 'serving', action: 'promote', from: 'lr@1', to: 'lr@2', actor: expect.stringContaining('operator') });
    expect((await call('POST', `/model-management/experiments/${id}/abort`, OPERATOR, {})).status).toBe(409);
    // over: deploys work again
    expect((await call('POST', '/model-management/lr@3/deploy', OPERATOR, {})).status).toBe(200);
  });
});
