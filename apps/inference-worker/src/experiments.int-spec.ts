import type { NatsConnection } from 'nats';
import {
  ACTIVE_EXPERIMENT_STATES,
  HealthSubjects,
  InferenceSubjects,
  RegistrySubjects,
  type ExperimentChangedEvent,
  type PredictReply,
  type PredictRequest,
} from '@loglens/contracts';
import { RpcClient, scatterGather } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, deployVersion, dropSchema, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

/** Same logistic regression, another bias (and optionally other feature names: object rows keyed f0… fail on it). */
const model = (bias: number, names = ['f0', 'f1', 'f2']) =>
  writeLogisticRegressionModel({ featureNames: names, mean: [0, 0, 0], scale: [1, 1, 1], weights: [0.1, 0.1, 0.1], bias, metadataProps: {} });

interface Outcome {
  ok: boolean;
  version: string | null;
  key: string;
  startedAt: number;
  error?: string;
}

describe('experiments in the workers: sticky routing, shadow copies, automatic canary decisions (registry + 2 workers)', () => {
  const schema = uniqueSchema('experiments_workers');
  let nc: NatsConnection;
  let rpc: RpcClient;
  const services: RunningService[] = [];
  const events: ExperimentChangedEvent[] = [];

  // a threshold, so replies carry isAnomaly and the shadow's agreement can be counted; a feature schema, so rows
  // may be objects keyed by feature name (a version with other names refuses them)
  const register = (name: string, bytes: Uint8Array, features = ['f0', 'f1', 'f2'], extra: Record<string, unknown> = {}): Promise<string> =>
    registerVersion(rpc, { model: name, onnx: bytes, featureNames: features, schemaVersion: 'spec.v1', featureDtype: 'float32', threshold: 0.6, metadata: extra, createdBy: 'spec' });

  async function predict(req: PredictRequest): Promise<PredictReply> {
    return rpc.call(InferenceSubjects.predict, req, { timeoutMs: 20_000 });
  }

  /** Waits until every worker routes the model by this experiment state (or by none). */
  async function workersFollow(modelName: string, id: string | null, weight?: number): Promise<void> {
    await waitFor(`both workers to follow experiment ${id ?? 'none'} of ${modelName}`, async () => {
      const replies = (await scatterGather(nc, HealthSubjects.ping, 200)).filter((r) => r.service === 'inference-worker');
      const ok = replies.length === 2 &&
        replies.every((r) => {
          const e = (r.details?.['experiments'] as Record<string, { id: string; candidates: Array<{ weight: number }> }> | undefined)?.[modelName];
          return id === null ? !e : e?.id === id && (weight === undefined || e.candidates[0]?.weight === weight);
        });
      return ok ? true : undefined;
    }, { timeoutMs: 20_000 });
  }

  /** `c` callers, each sending one request after the other (no retries) until `stop()` says so. */
  async function load(c: number, stop: () => boolean, request: (i: number) => PredictRequest & { routeKey: string }): Promise<Outcome[]> {
    const out: Outcome[] = [];
    let n = 0;
    await Promise.all(
      Array.from({ length: c }, async () => {
        while (!stop()) {
          const req = request(n++);
          const startedAt = Date.now();
          try {
            const reply = await predict(req);
            out.push({ ok: true, version: reply.modelVersion, key: req.routeKey, startedAt });
          } catch (e) {
            out.push({ ok: false, version: null, key: req.routeKey, startedAt, error: (e as Error).message });
          }
        }
      }),
    );
    return out;
  }

  /** A shadow experiment on `ab`: ab@2 shadows every request (100 %). */
  function startShadowOfAb() {
    return rpc.call(RegistrySubjects.createExperiment, {
      model: 'ab',
      kind: 'shadow',
      candidates: [{ version: '2', weight: 0 }],
      shadow: { percent: 100 },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 1000, minSamples: 10 },
      actor: 'spec',
    });
  }

  const rows = [[0.5, 1, 2]];

  beforeAll(async () => {
    nc = await connectTestNats('experiments-workers-int-spec');
    rpc = new RpcClient(nc, 20_000);
    nc.subscribe(RegistrySubjects.experimentChanged, { callback: (_e, msg) => events.push(msg.json<ExperimentChangedEvent>()) });
    services.push(await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema }));
    services.push(await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl(), INFERENCE_THREADS: '1' }));
    services.push(await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl(), INFERENCE_THREADS: '1' }));
    await register('ab', model(0));
    await register('ab', model(1));
    await deployVersion(rpc, 'ab@1', { actor: 'spec' });
    await register('can', model(0));
    await register('can', model(1));
    await register('can', model(2, ['g0', 'g1', 'g2']), ['g0', 'g1', 'g2']);
    // the same scores, but its batcher holds every batch 300 ms for more rows: a candidate far slower than the control
    await register('can', model(3), ['f0', 'f1', 'f2'], { batching: { maxBatchSize: 100_000, maxQueueDelayMs: 300 } });
    await deployVersion(rpc, 'can@1', { actor: 'spec' });
  });

  // a test that fails before its own abort must not leave its experiment running: the next one on that model would be
  // refused with "one experiment per model" and report a second, unrelated failure
  afterEach(async () => {
    const running = (await rpc.call(RegistrySubjects.listExperiments, {})).experiments.filter((x) => ACTIVE_EXPERIMENT_STATES.includes(x.state));
    for (const x of running) await rpc.call(RegistrySubjects.changeExperiment, { id: x.id, action: 'abort', actor: 'spec' });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await nc?.close();
    await dropSchema(schema);
  });

  it('answers each of 5,000 keys, sent 4 times, always from one arm, with shares within 3 points of the weights, and names the arm', async () => {
    const e = await rpc.call(RegistrySubjects.createExperiment, {
      model: 'ab',
      kind: 'ab',
      candidates: [{ version: '2', weight: 30 }],
      stickiness: { key: 'header' },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 1000, minSamples: 100 },
      actor: 'spec',
    });
    await workersFollow('ab', e.id);
    let i = 0;
    const outcomes = await load(32, () => i >= 20_000, () => {
      const n = i++;
      return { model: 'ab', rows, routeKey: `session-${n % 5000}` };
    });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    const armOf = new Map<string, Set<string>>();
    for (const o of outcomes) armOf.set(o.key, (armOf.get(o.key) ?? new Set()).add(o.version!));
    expect(armOf.size).toBe(5000);
    expect([...armOf.values()].filter((s) => s.size !== 1)).toEqual([]);
    // the experiment id salts the hash, so the share is a binomial draw over the keys: with 5,000 keys its standard
    // deviation is 0.65 points and 3 points is 4.6 of them (1,000 keys gave 1.45 points: a 3-point bound failed 1 run in 25)
    const candidateShare = (outcomes.filter((o) => o.version === 'ab@2').length / outcomes.length) * 100;
    expect(Math.abs(candidateShare - 30)).toBeLessThanOrEqual(3);
    // the workers' counts reach the report
    await waitFor('the report to count every request', async () => {
      const r = ((await rpc.call(RegistrySubjects.experimentReport, { id: e.id })) as unknown as { arms: Array<{ version: string; requests: number }> });
      return r.arms.reduce((s, a) => s + a.requests, 0) >= 20_000 ? r : undefined;
    }, { timeoutMs: 15_000 });
    await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'abort', actor: 'spec' });
  }, 180_000);

  it('splits a batch of windows from many sources by arm (rowKeys, sticky by source), names each row’s version and counts each row on its own arm', async () => {
    const e = await rpc.call(RegistrySubjects.createExperiment, {
      model: 'ab',
      kind: 'ab',
      candidates: [{ version: '2', weight: 30 }],
      stickiness: { key: 'source' },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 1000, minSamples: 100 },
      actor: 'spec',
    });
    await workersFollow('ab', e.id);
    // 5,000 sources, each in 4 of 200 requests of 100 rows (as an agent's batches mix windows of many sources); the
    // window key changes every time, so only the source can keep a row on its arm
    const SOURCES = 5000;
    const requests = Array.from({ length: 200 }, (_, r) => {
      const sources = Array.from({ length: 100 }, (_, k) => `site-${((r % 50) * 100 + k + Math.floor(r / 50) * 37) % SOURCES}`);
      return {
        model: 'ab',
        rows: sources.map((_, k) => [(k % 7) - 3, 1, (r % 5) - 2]),
        rowKeys: sources.map((source, k) => ({ source, window: `ap-${r}-${k}` })),
      };
    });
    const armOf = new Map<string, Set<string>>();
    const rowsOn: Record<string, number> = {};
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < requests.length) {
          const req = requests[next++];
          const reply = await predict(req);
          expect(reply.modelVersions).toHaveLength(req.rows.length);
          reply.modelVersions!.forEach((v, i) => {
            const source = req.rowKeys[i].source;
            armOf.set(source, (armOf.get(source) ?? new Set()).add(v));
            rowsOn[v] = (rowsOn[v] ?? 0) + 1;
            // the score is the named version's: bias 0 for ab@1, 1 for ab@2
            const [a, b, c] = req.rows[i];
            expect(reply.scores[i]).toBeCloseTo(sigmoid(0.1 * (a + b + c) + (v === 'ab@2' ? 1 : 0)), 5);
          });
        }
      }),
    );
    expect(armOf.size).toBe(SOURCES);
    expect([...armOf.values()].filter((s) => s.size !== 1)).toEqual([]);
    expect(Object.keys(rowsOn).sort()).toEqual(['ab@1', 'ab@2']);
    // 5,000 keys: a binomial share with a standard deviation of 0.65 points (see the header-key test)
    expect(Math.abs((rowsOn['ab@2'] / 20_000) * 100 - 30)).toBeLessThanOrEqual(3);
    // the report counts each row on the arm that scored it
    const report = await waitFor('the report to count every row', async () => {
      const r = (await rpc.call(RegistrySubjects.experimentReport, { id: e.id })) as unknown as { arms: Array<{ version: string; rows: number; requests: number }> };
      return r.arms.reduce((s, a) => s + a.rows, 0) >= 20_000 ? r : undefined;
    }, { timeoutMs: 15_000 });
    expect(report.arms.map((a) => [a.version, a.rows])).toEqual([
      ['ab@1', rowsOn['ab@1']],
      ['ab@2', rowsOn['ab@2']],
    ]);
    await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'abort', actor: 'spec' });
  }, 180_000);

  it('scores shadow copies off the reply path and reports the agreement with the control', async () => {
    const e = await startShadowOfAb();
    await workersFollow('ab', e.id);
    let i = 0;
    const outcomes = await load(8, () => i >= 400, () => ({ model: 'ab', rows: [[i % 7, 1, (i++ % 3) - 1]], routeKey: `w-${i}` }));
    expect(outcomes.filter((o) => !o.ok || o.version !== 'ab@1')).toEqual([]);
    const report = await waitFor('the shadow copies to be counted', async () => {
      const r = ((await rpc.call(
        RegistrySubjects.experimentReport,
        { id: e.id },
      )) as unknown as { arms: Array<{ version: string; requests: number }>; comparisons: Array<{ agreement: { compared: number; agreement: number; flips: number } }> });
      return r.arms[1].requests >= 400 ? r : undefined;
    }, { timeoutMs: 15_000 });
    expect(report.arms.map((a) => [a.version, a.requests])).toEqual([
      ['ab@1', 400],
      ['ab@2', 400],
    ]);
    expect(report.comparisons[0].agreement.compared).toBe(400);
    // bias 1 against bias 0 at threshold 0.6: the candidate flags rows the control does not
    expect(report.comparisons[0].agreement.flips).toBeGreaterThan(0);
    expect(report.comparisons[0].agreement.agreement).toBeLessThan(1);
    await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'abort', actor: 'spec' });
  }, 120_000);

  it('leaves the shadow copies to a shadow pool, which takes them from NATS: the same counts and agreement, none queued in the serving workers', async () => {
    const shadowQueues = async () =>
      (await scatterGather(nc, HealthSubjects.ping, 300))
        .filter((r) => r.service === 'inference-worker')
        .map((r) => ({
          id: r.instanceId,
          ...(r.details?.['shadowQueue'] as { queued: number; pool: string; scoredByPool?: boolean; mirroring?: boolean }),
          experiment: (r.details?.['experiments'] as Record<string, { id: string }> | undefined)?.['ab']?.id,
        }));
    const e = await startShadowOfAb();
    await workersFollow('ab', e.id);
    // counts every copy: a pool that paused for lag (MirrorGuard, its own test below) would rightly leave some unscored
    const pool = await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl(), INFERENCE_THREADS: '1', WORKER_POOL: 'shadow', WORKER_SHADOW_MAX_LAG_MS: '60000' });
    try {
      // the serving workers (SHADOW_SCORING=auto) find the pool with their next probe; the pool mirrors after its grace
      const before = await waitFor('both serving workers to leave their shadow copies to the pool', async () => {
        const q = await shadowQueues();
        const serving = q.filter((w) => w.pool === 'serving');
        return serving.length === 2 && serving.every((w) => w.scoredByPool) && q.some((w) => w.pool === 'shadow' && w.mirroring && w.experiment === e.id) ? q : undefined;
      }, { timeoutMs: 20_000 });
      const rowsSent = Array.from({ length: 400 }, (_, i) => [i % 7, 1, (i % 3) - 1]);
      let i = 0;
      const outcomes = await load(8, () => i >= rowsSent.length, () => ({ model: 'ab', rows: [rowsSent[i++]], routeKey: `w-${i}` }));
      expect(outcomes.filter((o) => !o.ok || o.version !== 'ab@1')).toEqual([]);
      const report = await waitFor('the pool’s shadow copies to be counted', async () => {
        const r = (await rpc.call(RegistrySubjects.experimentReport, { id: e.id })) as unknown as {
          arms: Array<{ version: string; requests: number; shadowErrors: number }>;
          comparisons: Array<{ agreement: { compared: number; flips: number } }>;
        };
        return r.arms.every((a) => a.requests >= 400) ? r : undefined;
      }, { timeoutMs: 20_000 });
      expect(report.arms.map((a) => [a.version, a.requests, a.shadowErrors])).toEqual([
        ['ab@1', 400, 0],
        ['ab@2', 400, 0],
      ]);
      // the agreement by hand: the same rows pinned to the control and to the candidate
      const control = await predict({ version: 'ab@1', rows: rowsSent });
      const candidate = await predict({ version: 'ab@2', rows: rowsSent });
      const flips = rowsSent.filter((_, k) => control.isAnomaly?.[k] !== candidate.isAnomaly?.[k]).length;
      expect(flips).toBeGreaterThan(0);
      expect(report.comparisons[0].agreement).toMatchObject({ compared: 400, flips });
      // no serving worker queued a copy; the pool queued every one
      const after = await shadowQueues();
      const queued = (q: typeof after, pool: string) => q.filter((w) => w.pool === pool).reduce((n, w) => n + w.queued, 0);
      expect(queued(after, 'serving')).toBe(queued(before, 'serving'));
      expect(queued(after, 'shadow') - queued(before, 'shadow')).toBe(400);
    } finally {
      await pool.stop();
      await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'abort', actor: 'spec' });
    }
  }, 120_000);

  it('stops a shadow pool that falls behind from mirroring, and mirrors again once it has caught up; callers are answered throughout', async () => {
    const poolHealth = async () =>
      (await scatterGather(nc, HealthSubjects.ping, 300))
        .filter((r) => r.service === 'inference-worker' && (r.details?.['shadowQueue'] as { pool?: string } | undefined)?.pool === 'shadow')
        .map((r) => ({ ...(r.details?.['shadowQueue'] as { queued: number; mirroring: boolean }), mirror: r.details?.['mirror'] as { paused: boolean; pauses: number; worstLagMs: number } }))[0];
    const e = await startShadowOfAb();
    await workersFollow('ab', e.id);
    const pool = await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl(), INFERENCE_THREADS: '1', WORKER_POOL: 'shadow', WORKER_SHADOW_PAUSE_MS: '1000', WORKER_NICE: '0' });
    try {
      // (at its normal priority here, so that only the stop below holds it back; a loaded machine may still pause it now and then)
      const before = await waitFor('the pool to mirror', async () => {
        const h = await poolHealth();
        return h?.mirroring && !h.mirror.paused ? h.mirror : undefined;
      }, { timeoutMs: 20_000 });
      expect(before).toMatchObject({ paused: false });
      let i = 0;
      let stop = false;
      const loadDone = load(4, () => stop, () => ({ model: 'ab', rows: [[i % 7, 1, (i++ % 3) - 1]], routeKey: `lag-${i}` }));
      // the pool stops reading (a CPU-starved or throttled process, seen from NATS) while the callers send 5,000 more
      // requests (a second or more here): their copies queue for it, and its first check after SIGCONT runs that late
      const pid = pool.process.pid as number;
      process.kill(pid, 'SIGSTOP');
      const sentAtStop = i;
      try {
        await waitFor('5,000 requests sent while the pool is stopped', async () => (i - sentAtStop >= 5000 ? true : undefined), { timeoutMs: 60_000 });
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      const paused = await waitFor('the pool to notice it fell behind', async () => {
        const h = await poolHealth();
        return h && h.mirror.pauses > before.pauses ? h : undefined;
      }, { timeoutMs: 10_000 });
      expect(paused.mirror.worstLagMs).toBeGreaterThan(250);
      const queuedWhenPaused = paused.queued;
      await waitFor('the pool to mirror again', async () => {
        const h = await poolHealth();
        return h && !h.mirror.paused && h.queued > queuedWhenPaused ? true : undefined;
      }, { timeoutMs: 15_000 });
      stop = true;
      const outcomes = await loadDone;
      expect(outcomes.length).toBeGreaterThan(0);
      expect(outcomes.filter((o) => !o.ok || o.version !== 'ab@1')).toEqual([]);
    } finally {
      await pool.stop();
      await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'abort', actor: 'spec' });
    }
  }, 120_000);

  it('walks a healthy canary 10 → 50 → 100 % under load (c = 32) and promotes it with 0 failed requests', async () => {
    const e = await rpc.call(RegistrySubjects.createExperiment, {
      model: 'can',
      kind: 'canary',
      candidates: [{ version: '2', weight: 10 }],
      stickiness: { key: 'header' },
      canary: { stepWeight: 40, maxWeight: 50, intervalSec: 2, failureThreshold: 2 },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 2000, minSamples: 20 },
      actor: 'spec',
    });
    await workersFollow('can', e.id);
    let promotedAt = 0;
    const outcomes = await load(32, () => promotedAt > 0 && Date.now() > promotedAt + 1000, (n) => {
      if (!promotedAt && events.some((x) => x.experiment.id === e.id && x.action === 'promote')) promotedAt = Date.now();
      return { model: 'can', rows, routeKey: `src-${n % 500}` };
    });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    const done = await rpc.call(RegistrySubjects.getExperiment, { id: e.id });
    expect(done.state).toBe('promoted');
    expect(done.steps.map((s) => [s.action, s.weights['can@2']])).toEqual([
      ['start', 10],
      ['step', 50],
      ['promote', 100],
    ]);
    expect((await rpc.call(RegistrySubjects.servingState, {})).serving.find((s) => s.model === 'can')?.ref).toBe('can@2');
    expect(new Set(outcomes.map((o) => o.version))).toEqual(new Set(['can@1', 'can@2']));
  }, 180_000);

  it('rolls back a candidate that fails one request in ten within failureThreshold intervals; nothing fails after', async () => {
    const e = await rpc.call(RegistrySubjects.createExperiment, {
      model: 'can',
      kind: 'canary',
      candidates: [{ version: '3', weight: 50 }],
      canary: { stepWeight: 10, maxWeight: 90, intervalSec: 2, failureThreshold: 2 },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 2000, minSamples: 20 },
      actor: 'spec',
    });
    await workersFollow('can', e.id);
    const started = Date.now();
    let rolledBackAt = 0;
    // one request in ten names its features as the control knows them (f0…): the candidate (g0…) refuses those
    const during = await load(32, () => rolledBackAt > 0, (n) => {
      if (events.some((x) => x.experiment.id === e.id && x.action === 'rollback')) rolledBackAt ||= Date.now();
      return { model: 'can', rows: n % 10 === 0 ? [{ f0: 1, f1: 2, f2: 3 }] : rows, routeKey: `k-${n}` };
    });
    const failed = during.filter((o) => !o.ok);
    expect(failed.length).toBeGreaterThan(0);
    // only the candidate failed them
    expect(failed.filter((o) => !/can@3/.test(o.error ?? ''))).toEqual([]);
    // within failureThreshold intervals of the start (plus one tick of slack)
    expect(rolledBackAt - started).toBeLessThan((2 + 1) * 2000 + 1500);
    const done = await rpc.call(RegistrySubjects.getExperiment, { id: e.id });
    expect(done).toMatchObject({ state: 'rolled-back', candidates: [{ version: 'can@3', weight: 0 }], failedChecks: 2 });
    expect(done.steps[done.steps.length - 1].reason).toMatch(/errorRate 0\.\d+ > 0\.0100/);
    await workersFollow('can', null);
    let j = 0;
    const after = await load(32, () => j >= 2000, (n) => {
      j++;
      return { model: 'can', rows: n % 10 === 0 ? [{ f0: 1, f1: 2, f2: 3 }] : rows, routeKey: `k-${n}` };
    });
    expect(after.filter((o) => !o.ok)).toEqual([]);
    expect(new Set(after.map((o) => o.version))).toEqual(new Set(['can@2']));
  }, 180_000);

  it('rolls back a candidate whose p99 is three times the control’s, for latency', async () => {
    const e = await rpc.call(RegistrySubjects.createExperiment, {
      model: 'can',
      kind: 'canary',
      candidates: [{ version: '4', weight: 20 }],
      canary: { stepWeight: 10, maxWeight: 90, intervalSec: 2, failureThreshold: 1 },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 200, minSamples: 10 },
      actor: 'spec',
    });
    await workersFollow('can', e.id);
    let rolledBack = false;
    const during = await load(32, () => rolledBack, (n) => {
      rolledBack ||= events.some((x) => x.experiment.id === e.id && x.action === 'rollback');
      return { model: 'can', rows, routeKey: `l-${n}` };
    });
    expect(during.filter((o) => !o.ok)).toEqual([]);
    const done = await rpc.call(RegistrySubjects.getExperiment, { id: e.id });
    expect(done).toMatchObject({ state: 'rolled-back', candidates: [{ version: 'can@4', weight: 0 }] });
    expect(done.steps[done.steps.length - 1].reason).toMatch(/p99Ms \d+\.\d > 200\.0/);
    const report = ((await rpc.call(
      RegistrySubjects.experimentReport,
      { id: e.id },
    )) as unknown as { arms: Array<{ version: string; p99Ms: number }>; comparisons: Array<{ latency: { pValue: number; effect: number } }> });
    const [control, candidate] = report.arms;
    expect(candidate.p99Ms).toBeGreaterThanOrEqual(3 * control.p99Ms);
    expect(report.comparisons[0].latency.effect).toBeGreaterThan(0.9);
    expect(report.comparisons[0].latency.pValue).toBeLessThan(0.001);
  }, 120_000);
});
