import * as ort from 'onnxruntime-node';
import type { NatsConnection } from 'nats';
import {
  InferenceSubjects,
  RegistrySubjects,
  type InferRequest,
  type PredictReply,
  type PredictRequest,
  type RowExplanationDto,
} from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { writeGradientBoostingModel, writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, deployVersion, errorOf, registerVersion, waitFor, waitUntilServed, dropSchema, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, type RunningService } from '@loglens/testing';

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

  const register = (bytes: Uint8Array, name = 'ops-risk'): Promise<string> =>
    registerVersion(rpc, { model: name, onnx: bytes, featureNames: FEATURES, schemaVersion: 'ops.v1', threshold: 0.5, createdBy: 'int-spec' });

  async function predict(req: PredictRequest): Promise<PredictReply> {
    return rpc.call(InferenceSubjects.predict, req, { timeoutMs: 10_000 });
  }

  /** The first answer once the model's version is being served. */
  async function waitForReply<T>(ask: () => Promise<T>): Promise<T> {
    return waitFor('the model to answer', () => ask().catch(() => undefined), { timeoutMs: 15_000 });
  }

  async function waitForServing(ref: string): Promise<void> {
    await waitUntilServed(rpc, 'ops-risk', ref, [0, 0, 0, 0], { timeoutMs: 15_000 });
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
    await deployVersion(rpc, ref, { actor: 'int-spec' });
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

  /** Σ contributions = outputValue − baseValue, ranked by |contribution|, and the score is sigmoid(outputValue). */
  function expectExplains(e: RowExplanationDto, score: number): void {
    const sum = e.attributions.reduce((s, a) => s + a.contribution, 0);
    expect(Math.abs(sum - (e.outputValue - e.baseValue))).toBeLessThan(1e-9);
    expect(Math.abs(1 / (1 + Math.exp(-e.outputValue)) - score)).toBeLessThan(1e-5);
    const mags = e.attributions.map((a) => Math.abs(a.contribution));
    expect(mags).toEqual([...mags].sort((a, b) => b - a));
    expect(e.attributions.map((a) => a.feature).sort()).toEqual([...FEATURES].sort());
  }

  it('explains each row when asked: exact attributions that sum to the returned score’s logit minus the base value', async () => {
    const rows = [
      [0, 0, 0, 0],
      [3, 1, 2, 1],
      [10, 0, 5, 4],
    ];
    const plain = await predict({ model: 'ops-risk', rows });
    expect(plain).not.toHaveProperty('explanations');
    const reply = await predict({ model: 'ops-risk', rows, explain: true });
    expect(reply.scores).toEqual(plain.scores);
    expect(reply.explanations).toHaveLength(3);
    reply.explanations!.forEach((e, i) => {
      expect(e).toMatchObject({ method: 'linear', approximate: false, outputSpace: 'logit' });
      expectExplains(e, reply.scores[i]);
    });
    // the reference is the scaler's mean: there the logit is the bias
    expect(reply.explanations![0].baseValue).toBeCloseTo(-0.5, 6);
    const errors = reply.explanations![2].attributions.find((a) => a.feature === 'errors')!;
    expect(errors).toMatchObject({ value: 10, reference: 1 });
    expect(errors.contribution).toBeCloseTo((0.8 * (10 - 1)) / 2, 5);

    // boosted trees, served by the same worker: TreeSHAP with the trees' cover counts
    const trees = writeGradientBoostingModel({
      featureNames: FEATURES,
      base: -1,
      trees: [
        {
          nodes: [
            { feature: 0, threshold: 2.5, left: 1, right: 2, cover: 100 },
            { feature: 2, threshold: 1.5, left: 3, right: 4, cover: 70 },
            { value: 1.2, cover: 30 },
            { value: -0.4, cover: 50 },
            { value: 0.6, cover: 20 },
          ],
        },
        {
          nodes: [
            { feature: 3, threshold: 0.5, left: 1, right: 2, cover: 100 },
            { value: -0.2, cover: 60 },
            { feature: 0, threshold: 5, left: 3, right: 4, cover: 40 },
            { value: 0.3, cover: 25 },
            { value: 0.9, cover: 15 },
          ],
        },
      ],
    });
    const treesRef = await register(trees, 'ops-trees');
    await deployVersion(rpc, treesRef, { actor: 'int-spec' });
    const explained = await waitForReply(() => predict({ model: 'ops-trees', rows, explain: true }));
    expect(explained.scores).toEqual(await inProcessScores(trees, rows));
    explained.explanations!.forEach((e, i) => {
      expect(e).toMatchObject({ method: 'tree-shap', approximate: false, outputSpace: 'logit' });
      expectExplains(e, explained.scores[i]);
    });
    // the cover-weighted mean logit: −1 + (0.3·1.2 + 0.5·(−0.4) + 0.2·0.6) + (0.6·(−0.2) + 0.25·0.3 + 0.15·0.9)
    expect(explained.explanations![0].baseValue).toBeCloseTo(-1 + 0.28 + 0.09, 6);
    // a feature no split reads gets nothing
    expect(explained.explanations![1].attributions.find((a) => a.feature === 'warnings')!.contribution).toBe(
      0,
    );
  });

  it('explains typed tensors too (KServe v2 parameters.explain)', async () => {
    const req: InferRequest = {
      model: 'ops-risk',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [2, 4], data: [3, 1, 2, 1, 10, 0, 5, 4] }],
      explain: true,
    };
    const reply = await rpc.call(InferenceSubjects.infer, req, { timeoutMs: 10_000 });
    const scores = reply.outputs.find((o) => o.name === 'score')!.data as number[];
    expect(reply.explanations).toHaveLength(2);
    reply.explanations!.forEach((e, i) => expectExplains(e, scores[i]));
    const many = Array.from({ length: 1001 * 4 }, (_, k) => k % 3);
    const bad = await errorOf(
      rpc.call(
        InferenceSubjects.infer,
        { ...req, inputs: [{ ...req.inputs[0], shape: [1001, 4], data: many }] },
        { timeoutMs: 10_000 },
      ),
    );
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.message).toMatch(/explain: at most 1000 rows per request/);
  });

  it('switches to a newly deployed version without a restart', async () => {
    const bytes = model(1.5);
    const ref = await register(bytes);
    await deployVersion(rpc, ref, { actor: 'int-spec' });
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
    const followed = await waitFor('the pinned alias to follow its move', async () => {
      const v = (await predict({ version: 'ops-risk@golden', rows: [[3, 1, 2, 1]] })).modelVersion;
      return v === ref ? v : undefined;
    }, { timeoutMs: 5000 });
    expect(followed).toBe(ref);
  });

  it('a worker that joins later asks the registry and serves the current version from its first reply', async () => {
    await worker.stop();
    worker = await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() });
    const reply = await predict({ model: 'ops-risk', rows: [[0, 0, 0, 0]] });
    expect(reply.modelVersion).toBe('ops-risk@2');
  });
});
