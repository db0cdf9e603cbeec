import type { NatsConnection } from 'nats';
import {
  InferenceSubjects,
  LogLensError,
  RegistrySubjects,
  type PredictReply,
  type PredictRequest,
} from '@loglens/contracts';
import { RpcClient, scatterGather } from '@loglens/nest-common';
import { OnnxGraphBuilder, writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, deployVersion, dropSchema, errorOf, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

const FEATURES = ['a', 'b', 'c'];
const logistic = (bias: number) =>
  writeLogisticRegressionModel({ featureNames: FEATURES, mean: [0, 0, 0], scale: [1, 1, 1], weights: [0.3, -0.2, 0.1], bias });

/** Parses and passes every static check, but onnxruntime cannot create a session for it: an unknown operator. */
function unloadable(): Uint8Array {
  const b = new OnnxGraphBuilder('broken');
  b.addInput('features', 'float32', ['N', 3]);
  b.addNode({ opType: 'NoSuchOperatorInOnnx', inputs: ['features'], outputs: ['score'] });
  b.addOutput('score', 'float32', ['N', 1]);
  return b.toBytes();
}

/** Warms up fine (one row) but onnxruntime fails on any batch of two or more rows: a model error, not the caller's. */
function breaksOnBatches(): Uint8Array {
  const b = new OnnxGraphBuilder('breaks-on-batches');
  b.addInput('features', 'float32', ['N', 3]);
  const shape = b.addInitializer('one_row', { elemType: 'int64', dims: [2], values: [1, 3] });
  const w = b.addInitializer('w', { elemType: 'float32', dims: [3, 1], values: [0.1, 0.2, 0.3] });
  b.addNode({ opType: 'Reshape', inputs: ['features', shape], outputs: ['r'] });
  b.addNode({ opType: 'MatMul', inputs: ['r', w], outputs: ['z'] });
  b.addNode({ opType: 'Sigmoid', inputs: ['z'], outputs: ['score'] });
  b.addOutput('score', 'float32', ['N', 1]);
  return b.toBytes();
}

describe('worker pool: hot-swap under load, fallback, metrics, bad input', () => {
  const schema = uniqueSchema('pool');
  let nc: NatsConnection;
  let rpc: RpcClient;
  let registry: RunningService;
  const workers: RunningService[] = [];
  const env = () => ({ NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });

  const register = (bytes: Uint8Array): Promise<string> => registerVersion(rpc, { model: 'pool', onnx: bytes, threshold: 0.5, createdBy: 'spec' });

  async function predict(rows: PredictRequest['rows'], retries = 0): Promise<PredictReply> {
    return rpc.call(InferenceSubjects.predict, { model: 'pool', rows }, { timeoutMs: 10_000, retries });
  }

  async function servedByAll(ref: string): Promise<void> {
    await waitFor(`every worker to serve ${ref}`, async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, () => predict([[1, 2, 3]]).catch(() => null)));
      return answers.every((a) => a?.modelVersion === ref) ? true : undefined;
    }, { timeoutMs: 20_000 });
  }

  beforeAll(async () => {
    nc = await connectTestNats('pool-int-spec');
    rpc = new RpcClient(nc, 20_000);
    registry = await spawnService('registry', nc, env());
    workers.push(await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl(), INSTANCE_ID: 'w1' }));
    workers.push(await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() }));
    const first = await register(logistic(0));
    await deployVersion(rpc, first, { actor: 'spec' });
    await servedByAll(first);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await registry?.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('10 consecutive deploys under continuous load fail no request', async () => {
    const refs: string[] = [];
    for (let i = 1; i <= 10; i++) refs.push(await register(logistic(i / 10)));
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const seen = new Set<string>();
    const client = async () => {
      while (!stop) {
        try {
          const r = await predict([[1, 2, 3]]);
          seen.add(r.modelVersion);
          ok++;
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    };
    const load = Array.from({ length: 8 }, client);
    for (const ref of refs) {
      await deployVersion(rpc, ref, { actor: 'spec', reason: 'swap under load' });
      await servedByAll(ref);
    }
    stop = true;
    await Promise.all(load);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(100);
    expect(refs.every((r) => seen.has(r))).toBe(true);
  });

  it('refuses to deploy a version no worker could test (validation fails closed), and keeps the old one serving', async () => {
    const before = (await rpc.call(RegistrySubjects.servingState, {})).serving[0].ref;
    // registered while no worker could run the test inference: it used to pass with a warning and then fail to load
    await Promise.all(workers.map((w) => w.stop()));
    workers.length = 0;
    const broken = await register(unloadable());
    workers.push(await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() }));
    const refused = await errorOf(rpc.call(RegistrySubjects.deployVersion, { ref: broken, actor: 'spec', reason: 'risky' }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toMatch(/failed validation/);
    // validated again with a worker up, it fails on its own merits: the operator in it has no kernel (found by the
    // registry's sandbox now, before any worker is asked)
    const report = await rpc.call(RegistrySubjects.validateVersion, { ref: broken, actor: 'spec' });
    expect(report.outcome).toBe('fail');
    expect(report.checks.find((c) => c.check === 'sandbox' || c.check === 'test-inference')?.message).toMatch(/NoSuchOperatorInOnnx|failed/);
    expect((await predict([[1, 2, 3]])).modelVersion).toBe(before);
    expect(workers[0].process.exitCode).toBeNull();
  });

  it('falls back when a new version fails too many of its first requests, and says why in the history', async () => {
    const before = (await rpc.call(RegistrySubjects.servingState, {})).serving[0].ref;
    const fragile = await register(breaksOnBatches());
    await deployVersion(rpc, fragile, { actor: 'spec', reason: 'looks fine on one row' });
    await servedByAll(fragile);
    const codes: string[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await rpc.call(InferenceSubjects.predict, { model: 'pool', rows: [[1, 2, 3], [4, 5, 6]] }).catch((e: LogLensError) => e);
      if (r instanceof LogLensError) codes.push(r.code);
    }
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['MODEL_ERROR']));
    const entries = await waitFor('the fallback in the history', async () => {
      const e = (await rpc.call(RegistrySubjects.history, { model: 'pool', limit: 3 })).entries;
      return e[0]?.action === 'fallback' && e[0].from === fragile ? e : undefined;
    }, { timeoutMs: 15_000, intervalMs: 200 });
    expect(entries[0]).toMatchObject({ action: 'fallback', from: fragile, to: before });
    expect(entries[0].reason).toMatch(/failed \d+ of its first 50 requests/);
    await servedByAll(before);
  });

  it('counts requests, rows and runs per version for /metrics and the performance page', async () => {
    for (let i = 0; i < 5; i++) await predict([[1, 2, 3], [4, 5, 6]]);
    const replies = await scatterGather(nc, InferenceSubjects.metrics, 500);
    expect(replies.length).toBe(1);
    const serving = (await rpc.call(RegistrySubjects.servingState, {})).serving[0].ref;
    const v = replies[0].versions.find((x) => x.ref === serving)!;
    expect(v.success).toBeGreaterThanOrEqual(6);
    expect(v.inferences).toBeGreaterThanOrEqual(11);
    expect(v.executions).toBeGreaterThan(0);
    expect(replies[0].rssBytes).toBeGreaterThan(10_000_000);
    const names = (replies[0].prometheus as Array<{ name: string }>).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['loglens_inference_requests_total', 'loglens_inference_request_duration_seconds', 'loglens_worker_process_resident_memory_bytes']));
  });

  it('answers hundreds of malformed requests with typed errors and keeps serving correctly', async () => {
    const junk: unknown[] = [
      [],
      [[]],
      [[1, 2]],
      [[1, 2, 3, 4]],
      [['a', 'b', 'c']],
      [[null, 1, 2]],
      [[Number.MAX_VALUE * 10, 1, 2]], // Infinity: JSON sends it as null
      [{ a: 1 }],
      [{ a: 1, b: 2, c: 3, d: 4 }],
      [[[1], [2], [3]]],
      [true],
      ['1,2,3'],
      Array.from({ length: 10_001 }, () => [1, 2, 3]),
    ];
    let answered = 0;
    for (let i = 0; i < 300; i++) {
      const rows = junk[i % junk.length];
      try {
        // deliberately malformed rows: the worker must refuse each with a typed error
        await rpc.call(InferenceSubjects.predict, { model: 'pool', rows: rows as PredictRequest['rows'] }, { timeoutMs: 10_000 });
      } catch (e) {
        expect(e).toBeInstanceOf(LogLensError);
        expect(['VALIDATION_FAILED']).toContain((e as LogLensError).code);
        answered++;
      }
    }
    // payloads that are not even objects
    for (const raw of ['', 'null', '[]', '"x"', '{"rows":', '{"model":42,"rows":[[1,2,3]]}']) {
      const reply = await nc.request(InferenceSubjects.predict, new TextEncoder().encode(raw), { timeout: 5000 });
      expect(JSON.parse(new TextDecoder().decode(reply.data))).toHaveProperty('err.code');
    }
    expect(answered).toBe(300);
    const good = await predict([[1, 2, 3]]);
    expect(good.scores).toHaveLength(1);
    expect(workers.every((w) => w.process.exitCode === null)).toBe(true);
  });

  it('loses no request whose caller retries once when a worker is killed under load', async () => {
    workers.push(await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() }));
    const serving = (await rpc.call(RegistrySubjects.servingState, {})).serving[0].ref;
    await servedByAll(serving);
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const client = async () => {
      while (!stop) {
        try {
          // scoring is idempotent: a retry after a timeout or a vanished worker cannot do harm
          await rpc.call(InferenceSubjects.predict, { model: 'pool', rows: [[1, 2, 3]] }, { timeoutMs: 2000, retries: 1 });
          ok++;
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    };
    const load = Array.from({ length: 8 }, client);
    // the kill lands under load, and the load goes on until 200 more requests were answered after it
    await waitFor('the load to be running', () => (ok >= 50 ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
    const victim = workers.shift()!;
    victim.process.kill('SIGKILL');
    const atKill = ok;
    await waitFor('200 requests answered after the kill', () => (ok >= atKill + 200 || failures.length > 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 20 });
    stop = true;
    await Promise.all(load);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(100);
  });

  it('speaks typed tensors for the Open Inference Protocol', async () => {
    const reply = await rpc.call(InferenceSubjects.infer, {
      model: 'pool',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }],
    });
    const scored = await predict([[1, 2, 3], [4, 5, 6]]);
    expect(reply.outputs[0]).toMatchObject({ name: 'score', datatype: 'FP32', shape: [2, 1] });
    expect(reply.outputs[0].data).toEqual(scored.scores);
  });
});
