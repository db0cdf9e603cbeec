import * as ort from 'onnxruntime-node';
import type { NatsConnection } from 'nats';
import {
  InferenceSubjects,
  RegistrySubjects,
  type PredictReply,
  type PredictRequest,
  type RegisterVersionReply,
  type RegisterVersionRequest,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, errorOf, dropSchema, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, type RunningService } from '@loglens/testing';

const FEATURES = ['errors', 'warnings', 'restarts', 'timeouts'];

function model(bias: number): Uint8Array {
  return writeLogisticRegressionModel({
    featureNames: FEATURES,
    mean: [1, 2, 0.5, 0.1],
    scale: [2, 3, 1, 0.5],
    weights: [0.8, -0.3, 1.2, 2.0],
    bias,
  });
}

async function inProcessScores(bytes: Uint8Array, rows: number[][]): Promise<number[]> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, FEATURES.length]) });
  await session.release();
  return Array.from(out['score'].data as Float32Array);
}

describe('inference worker serving from the registry over NATS', () => {
  const schema = uniqueSchema('worker');
  let nc: NatsConnection;
  let rpc: RpcClient;
  let registry: RunningService;
  let worker: RunningService;
  const env = () => ({ NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });

  async function register(bytes: Uint8Array): Promise<string> {
    const req: RegisterVersionRequest = {
      model: 'ops-risk',
      artifactBase64: Buffer.from(bytes).toString('base64'),
      metadata: { featureSchema: { version: 'ops.v1', features: FEATURES.map((name) => ({ name })) }, threshold: 0.5 },
      createdBy: 'int-spec',
    };
    return (await rpc.call<RegisterVersionReply>(RegistrySubjects.registerVersion, req)).version.ref;
  }

  async function predict(req: PredictRequest): Promise<PredictReply> {
    return rpc.call<PredictReply>(InferenceSubjects.predict, req, { timeoutMs: 10_000 });
  }

  async function waitForServing(ref: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const reply = await predict({ model: 'ops-risk', rows: [[0, 0, 0, 0]] }).catch(() => null);
      if (reply?.modelVersion === ref) return;
      if (Date.now() > deadline) throw new Error(`worker did not switch to ${ref}; last answer ${reply?.modelVersion}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    nc = await connectTestNats('worker-int-spec');
    rpc = new RpcClient(nc, 15_000);
    registry = await spawnService('registry', nc, env());
    worker = await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() });
  });

  afterAll(async () => {
    await worker?.stop();
    await registry?.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('says NOT_FOUND for a model that has no serving version', async () => {
    expect((await errorOf(predict({ model: 'ops-risk', rows: [[1, 2, 3, 4]] }))).code).toBe('NOT_FOUND');
  });

  it('answers with the same numbers onnxruntime gives in-process for the deployed file', async () => {
    const bytes = model(-0.5);
    const ref = await register(bytes);
    await rpc.call(RegistrySubjects.deployVersion, { ref, actor: 'int-spec' });
    await waitForServing(ref);
    const rows = [
      [0, 0, 0, 0],
      [3, 1, 2, 1],
      [10, 0, 5, 4],
    ];
    const reply = await predict({ model: 'ops-risk', rows });
    expect(reply.modelVersion).toBe(ref);
    expect(reply.scores).toEqual(await inProcessScores(bytes, rows));
    expect(reply.isAnomaly).toEqual(reply.scores.map((s) => s >= 0.5));
    expect(reply.outputs['score'].dims).toEqual([3, 1]);
    expect(reply.timings.computeMs).toBeGreaterThanOrEqual(0);
  });

  it('maps named-feature rows through the feature schema', async () => {
    const byName = await predict({ model: 'ops-risk', rows: [{ errors: 3, warnings: 1, restarts: 2, timeouts: 1 }] });
    const byOrder = await predict({ model: 'ops-risk', rows: [[3, 1, 2, 1]] });
    expect(byName.scores).toEqual(byOrder.scores);
  });

  it('refuses bad rows with an error naming the row and the feature', async () => {
    expect((await errorOf(predict({ model: 'ops-risk', rows: [[1, 2]] }))).message).toMatch(/row 0 has 2 values but ops-risk@1 takes 4 features/);
    expect((await errorOf(predict({ model: 'ops-risk', rows: [[1, 2, 3, 4], [1, 'x', 3, 4] as unknown as number[]] }))).message).toMatch(
      /row 1, feature warnings: expected a finite number/,
    );
    expect((await errorOf(predict({ model: 'ops-risk', rows: [{ errors: 1 }] }))).message).toMatch(/missing feature "warnings"/);
  });

  it('switches to a newly deployed version without a restart', async () => {
    const bytes = model(1.5);
    const ref = await register(bytes);
    await rpc.call(RegistrySubjects.deployVersion, { ref, actor: 'int-spec' });
    await waitForServing(ref);
    const reply = await predict({ model: 'ops-risk', rows: [[3, 1, 2, 1]] });
    expect(reply.scores).toEqual(await inProcessScores(bytes, [[3, 1, 2, 1]]));
    // the previous version can still be asked for by reference
    const pinned = await predict({ version: 'ops-risk@1', rows: [[3, 1, 2, 1]] });
    expect(pinned.modelVersion).toBe('ops-risk@1');
    expect(pinned.scores).toEqual(await inProcessScores(model(-0.5), [[3, 1, 2, 1]]));
    // a pinned alias follows the alias when it moves (the worker caches what it resolved to until then)
    await rpc.call(RegistrySubjects.setAlias, { model: 'ops-risk', alias: 'golden', ref: 'ops-risk@1', actor: 'int-spec' });
    expect((await predict({ version: 'ops-risk@golden', rows: [[3, 1, 2, 1]] })).modelVersion).toBe('ops-risk@1');
    await rpc.call(RegistrySubjects.setAlias, { model: 'ops-risk', alias: 'golden', ref: ref, actor: 'int-spec' });
    const deadline = Date.now() + 5000;
    let followed = '';
    while (Date.now() < deadline && followed !== ref) {
      followed = (await predict({ version: 'ops-risk@golden', rows: [[3, 1, 2, 1]] })).modelVersion;
      if (followed !== ref) await new Promise((r) => setTimeout(r, 100));
    }
    expect(followed).toBe(ref);
  });

  it('a worker that joins later asks the registry and serves the current version from its first reply', async () => {
    await worker.stop();
    worker = await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() });
    const reply = await predict({ model: 'ops-risk', rows: [[0, 0, 0, 0]] });
    expect(reply.modelVersion).toBe('ops-risk@2');
  });
});
