// The reference window of an uploaded model end to end: a version registered with no reference profile is served by
// a worker (WORKER_DRIFT_BUCKET_MS=1000) that collects the raw rows it scores; the registry (DRIFT_REFERENCE_WINDOWS
// =200) answers `collecting-reference` with its progress, freezes the first 200 windows into the version's
// `metadata.referenceProfile` (origin reference-window, one history entry), and from then on compares live rows with
// it: rows like the first ones do not drift, rows with one feature moved by 2 σ drift on that feature.
// Real NATS, Postgres, onnxruntime, worker and registry.
import type { NatsConnection } from 'nats';
import { DriftSubjects, InferenceSubjects, RegistrySubjects, type DriftReportReply } from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, deployVersion, dropSchema, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';
import { createRng } from '@loglens/training';

const NAMES = ['f0', 'f1', 'f2', 'f3'];
const N = 200;
/** uniform on [0, 10): σ = 10/√12 ≈ 2.89; `shiftF1` in σ moves feature f1's mean by that many σ */
const SIGMA = 10 / Math.sqrt(12);
const rowsFrom = (seed: number, n: number, shiftF1 = 0): number[][] => {
  const r = createRng(seed).next;
  return Array.from({ length: n }, () => NAMES.map((_, j) => Math.round(r() * 1000) / 100 + (j === 1 ? shiftF1 * SIGMA : 0)));
};

describe('reference window: an uploaded model builds its reference from its first live windows', () => {
  jest.setTimeout(240_000);
  const run = Date.now().toString(36);
  const model = `refwin-${run}`;
  const schema = uniqueSchema('refwin');
  const services: RunningService[] = [];
  let nc: NatsConnection;
  let rpc: RpcClient;
  let ref = '';

  const report = (from: number, to: number): Promise<DriftReportReply> =>
    rpc.call(DriftSubjects.report, { ref, from: new Date(from).toISOString(), to: new Date(to).toISOString() }, { timeoutMs: 10_000 });

  async function predict(rows: number[][]): Promise<void> {
    for (let i = 0; i < rows.length; i += 10) {
      const reply = await rpc.call(InferenceSubjects.predict, { model, rows: rows.slice(i, i + 10) }, { timeoutMs: 10_000 });
      expect(reply.modelVersion).toBe(ref);
    }
  }

  /** The report over [from, now+2s) once it counts `windows` rows. */
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

  const freshSecond = async (): Promise<number> => {
    const at = Date.now() + 1000;
    await waitFor('a fresh second', () => (Date.now() >= Math.ceil(at / 1000) * 1000 ? true : undefined), { intervalMs: 50 });
    return Date.now();
  };

  beforeAll(async () => {
    nc = await connectTestNats('reference-window-int-spec');
    rpc = new RpcClient(nc, 20_000);
    const nats = { NATS_URL: testNatsUrl() };
    services.push(await spawnService('registry', nc, { ...nats, DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema, DRIFT_REFERENCE_WINDOWS: String(N) }));
    services.push(await spawnService('inference-worker', nc, { ...nats, WORKER_DRIFT_BUCKET_MS: '1000' }));
    const r = createRng(3).next;
    const bytes = writeLogisticRegressionModel({ featureNames: NAMES, mean: NAMES.map(() => 5), scale: NAMES.map(() => 3), weights: NAMES.map(() => r() - 0.5), bias: 0 });
    // an uploaded model: a schema and a threshold, no referenceProfile
    ref = await registerVersion(rpc, { model, onnx: bytes, featureNames: NAMES, threshold: 0.9, createdBy: 'reference-window-spec' });
    await deployVersion(rpc, ref, { actor: 'reference-window-spec' });
  }, 180_000);

  afterAll(async () => {
    for (const s of services.reverse()) await s.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('answers collecting-reference with its progress, then freezes the first N windows into the reference', async () => {
    const start = Date.now();
    const before = await report(start - 60_000, start + 1000);
    expect(before).toMatchObject({ state: 'collecting-reference', referenceWindow: { collected: 0, of: N }, report: null });

    // fewer than N: progress, no reference yet (the worker's first predict of the version asks for its reference;
    // rows answered before the answer are not collected, so the spec predicts until some are, 10 fresh rows at a time)
    let seed = 1000;
    let sent = 0;
    const partial = await waitFor('some windows collected', async () => {
      await predict(rowsFrom(seed++, 10));
      sent += 10;
      const r = await report(start - 60_000, Date.now() + 2000);
      return r.state === 'collecting-reference' && (r.referenceWindow?.collected ?? 0) > 0 ? r : undefined;
    }, { timeoutMs: 60_000, intervalMs: 300 });
    expect(partial.referenceWindow!.collected).toBeLessThanOrEqual(sent);
    expect(partial.referenceWindow!.collected).toBeLessThan(N);
    expect(partial.referenceWindow!.of).toBe(N);

    // more than N in all: the reference is frozen once, from the first N collected rows
    const frozen = await waitFor('the reference frozen', async () => {
      await predict(rowsFrom(seed++, 50));
      const v = await rpc.call(RegistrySubjects.getVersion, { ref });
      return v.metadata?.['referenceProfile'] ? v : undefined;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    const reference = frozen.metadata!['referenceProfile'] as { origin: string; windows: number; features: Record<string, unknown>; score: unknown; threshold: number };
    expect(reference.origin).toBe('reference-window');
    expect(reference.windows).toBe(N);
    expect(Object.keys(reference.features)).toEqual(NAMES);
    expect(reference.score).not.toBeNull();
    expect(reference.threshold).toBe(0.9);
    expect(frozen.metadata!['referenceWindow']).toMatchObject({ windows: N });
    const history = await rpc.call(RegistrySubjects.history, { model });
    const entries = history.entries.filter((h) => h.kind === 'drift');
    expect(entries.map((h) => [h.action, h.to])).toEqual([['drift-reference', ref]]);
  });

  it('compares live rows with the frozen reference: none drift for like rows, f1 drifts when its mean moves by 2σ', async () => {
    // the worker picks the frozen reference up within its recheck (5 s): wait until profiled rows are reported
    const warm = Date.now();
    let seed = 5000;
    await waitFor('the worker profiling against the frozen reference', async () => {
      await predict(rowsFrom(seed++, 10));
      const r = await report(Math.floor(warm / 1000) * 1000, Date.now() + 2000);
      return r.state === 'ok' && (r.report?.currentWindows ?? 0) > 0 ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });

    let start = await freshSecond();
    await predict(rowsFrom(8, 300));
    const like = await settled(start, 300);
    expect(like.report!.referenceOrigin).toBe('reference-window');
    expect(like.report!.referenceWindows).toBe(N);
    expect(like.report!.currentWindows).toBe(300);
    expect(like.report!.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual([]);

    start = await freshSecond();
    await predict(rowsFrom(9, 300, 2));
    const shifted = await settled(start, 300);
    expect(shifted.report!.currentWindows).toBe(300);
    expect(shifted.report!.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(['f1']);
  });
});
