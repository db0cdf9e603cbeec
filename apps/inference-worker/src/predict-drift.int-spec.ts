// Drift of the direct predict path end to end: a version registered with a reference profile is served by a worker
// that profiles what it scores on `predict` (WORKER_DRIFT_BUCKET_MS=1000); the registry stores the worker's buckets
// and its drift report counts exactly the rows sent without `profiled` (the agents' flag), finds no drift for rows
// like the reference and drift on the one shifted feature. Real NATS, Postgres, onnxruntime, worker and registry.
import type { NatsConnection } from 'nats';
import { DriftSubjects, InferenceSubjects, type DriftReportReply } from '@loglens/contracts';
import { buildReferenceProfile } from '@loglens/drift';
import { RpcClient } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, deployVersion, dropSchema, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';
import { createRng } from '@loglens/training';

const NAMES = ['f0', 'f1', 'f2', 'f3'];
const rowsFrom = (seed: number, n: number, shiftF2 = 0): number[][] => {
  const r = createRng(seed).next;
  return Array.from({ length: n }, () => NAMES.map((_, j) => Math.round(r() * 1000) / 100 + (j === 2 ? shiftF2 : 0)));
};

describe('predict-path drift: worker profiles → registry buckets → drift report', () => {
  jest.setTimeout(240_000);
  const run = Date.now().toString(36);
  const model = `predict-drift-${run}`;
  const schema = uniqueSchema('pdrift');
  const services: RunningService[] = [];
  let nc: NatsConnection;
  let rpc: RpcClient;
  let ref = '';

  const report = (from: number, to: number): Promise<DriftReportReply> =>
    rpc.call(DriftSubjects.report, { ref, from: new Date(from).toISOString(), to: new Date(to).toISOString() }, { timeoutMs: 10_000 });

  /** predicts `rows` one request of 10 rows at a time */
  async function predict(rows: number[][], profiled = false): Promise<void> {
    for (let i = 0; i < rows.length; i += 10) {
      const reply = await rpc.call(InferenceSubjects.predict, { model, rows: rows.slice(i, i + 10), ...(profiled ? { profiled: true } : {}) }, { timeoutMs: 10_000 });
      expect(reply.modelVersion).toBe(ref);
    }
  }

  /** The report over [from, now+2s) once it counts `windows` rows (profile buckets start on whole seconds). */
  async function settled(from: number, windows: number): Promise<DriftReportReply> {
    let seen = 'nothing yet';
    return waitFor(
      `${windows} profiled rows in the drift report`,
      async () => {
        const r = await report(Math.floor(from / 1000) * 1000, Date.now() + 2000);
        seen = `${r.state}, ${r.report?.currentWindows ?? 0} windows`;
        return r.state === 'ok' && r.report && r.report.currentWindows >= windows ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    ).catch((e: Error) => {
      throw new Error(`${e.message} (last report: ${seen})`);
    });
  }

  beforeAll(async () => {
    nc = await connectTestNats('predict-drift-int-spec');
    rpc = new RpcClient(nc, 20_000);
    const nats = { NATS_URL: testNatsUrl() };
    services.push(await spawnService('registry', nc, { ...nats, DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema }));
    services.push(await spawnService('inference-worker', nc, { ...nats, WORKER_DRIFT_BUCKET_MS: '1000' }));
    const r = createRng(3).next;
    const bytes = writeLogisticRegressionModel({ featureNames: NAMES, mean: NAMES.map(() => 5), scale: NAMES.map(() => 3), weights: NAMES.map(() => r() - 0.5), bias: 0 });
    const referenceProfile = buildReferenceProfile({ featureNames: NAMES, rows: rowsFrom(1, 1000), threshold: 0.9 });
    ref = await registerVersion(rpc, { model, onnx: bytes, featureNames: NAMES, threshold: 0.9, metadata: { referenceProfile }, createdBy: 'predict-drift-spec' });
    await deployVersion(rpc, ref, { actor: 'predict-drift-spec' });
    // the first predict of a version makes the worker read its reference; rows answered before it has it are not profiled
    const warmFrom = Date.now();
    await waitFor('the version served and profiled', async () => {
      await predict(rowsFrom(99, 10), true);
      await predict(rowsFrom(98, 10));
      const r = await report(Math.floor(warmFrom / 1000) * 1000, Date.now() + 2000);
      return r.state === 'ok' && (r.report?.currentWindows ?? 0) > 0 ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 1000 }).catch((e: Error) => {
      const said = services.map((s) => `${s.name}:\n${s.output().split('\n').filter((l) => /drift|warn|error/i.test(l)).slice(-10).join('\n')}`);
      throw new Error(`${e.message}\n${said.join('\n')}`);
    });
  }, 180_000);

  afterAll(async () => {
    for (const s of services.reverse()) await s.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('counts exactly the rows not marked profiled, and finds no drift for rows like the reference', async () => {
    const from = Date.now() + 2000;
    // start on a fresh second so the warm-up's buckets stay out of the range
    await waitFor('the next whole second after the warm-up', () => (Date.now() >= Math.ceil(from / 1000) * 1000 ? true : undefined), { intervalMs: 50 });
    const start = Date.now();
    await predict(rowsFrom(7, 300), true); // the agents' rows: profiled by the agents, not by the worker
    await predict(rowsFrom(8, 400));
    const r = await settled(start, 400);
    expect(r.report!.currentWindows).toBe(400);
    expect(r.report!.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual([]);
    expect(r.report!.dataset.drifted).toBe(false);
  });

  it('reports drift on the shifted feature only', async () => {
    const at = Date.now() + 1000;
    await waitFor('a fresh second', () => (Date.now() >= Math.ceil(at / 1000) * 1000 ? true : undefined), { intervalMs: 50 });
    const start = Date.now();
    await predict(rowsFrom(9, 400, 6));
    const r = await settled(start, 400);
    expect(r.report!.currentWindows).toBe(400);
    expect(r.report!.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(['f2']);
  });
});
