import type { ExperimentDto, ExperimentStatsMessage } from '@loglens/contracts';
import type { ArmCounts } from '@loglens/experiments';
import type { EventBus, HealthResponder, ServiceIdentity } from '@loglens/nest-common';
import { ExperimentRouter } from './experiment-router';

const experiment = (weight: number, updatedAt: string, state: ExperimentDto['state'] = 'running'): ExperimentDto => ({
  id: '00000000-0000-4000-8000-000000000001',
  model: 'm',
  kind: 'canary',
  control: 'm@1',
  candidates: [{ version: 'm@2', weight }],
  stickiness: { key: 'header' },
  canary: { stepWeight: 10, maxWeight: 50, intervalSec: 1, failureThreshold: 1 },
  shadow: null,
  criteria: { maxErrorRate: 0.01, maxP99Ms: 100, minSamples: 1 },
  state,
  failedChecks: 0,
  steps: [],
  createdBy: 'spec',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt,
  endedAt: null,
});

describe('ExperimentRouter counts', () => {
  /** as they went out (serialised, like EventBus.publish) */
  let sent: ExperimentStatsMessage[];
  let router: ExperimentRouter;

  beforeEach(() => {
    jest.useFakeTimers();
    sent = [];
    const bus = { publish: (_s: string, m: ExperimentStatsMessage) => sent.push(JSON.parse(JSON.stringify(m)) as ExperimentStatsMessage), subscribe: () => undefined } as unknown as EventBus;
    const health = { addDetails: () => undefined } as unknown as HealthResponder;
    router = new ExperimentRouter(bus, health, { instanceId: 'w1' } as ServiceIdentity);
    router.onModuleInit();
  });

  afterEach(() => {
    router.onApplicationShutdown();
    jest.useRealTimers();
  });

  /** requests counted per version over every report sent */
  const requestsSent = () => {
    const by: Record<string, number> = {};
    for (const m of sent) for (const a of m.arms as unknown as ArmCounts[]) by[a.version] = (by[a.version] ?? 0) + a.requests;
    return by;
  };

  it('keeps the count of a request routed before a weights step and answered after the next report', () => {
    router.apply(experiment(10, '2026-01-01T00:00:01.000Z'));
    const routed = router.route('m', 'key-1')!;
    // the canary steps while the request is in flight, and a report goes out before it is answered
    router.apply(experiment(50, '2026-01-01T00:00:02.000Z'));
    const after = router.route('m', 'key-1')!;
    router.record(after.route, after.ref, { ok: true, latencyMs: 1 });
    jest.advanceTimersByTime(1000);
    router.record(routed.route, routed.ref, { ok: true, latencyMs: 1, scores: [0.1], flags: [false] });
    jest.advanceTimersByTime(1000);
    // key-1 hashes to the same arm under both weights or moves from the control to the candidate; either way 2 requests
    const by = requestsSent();
    expect(Object.values(by).reduce((s, n) => s + n, 0)).toBe(2);
    expect(by[routed.ref]).toBeGreaterThanOrEqual(1);
  });

  it('sends the count of a request answered after its experiment ended', () => {
    router.apply(experiment(10, '2026-01-01T00:00:01.000Z'));
    const routed = router.route('m', 'key-1')!;
    router.apply(experiment(0, '2026-01-01T00:00:02.000Z', 'rolled-back'));
    expect(router.route('m', 'key-1')).toBeNull();
    router.record(routed.route, routed.ref, { ok: false, latencyMs: 1 });
    jest.advanceTimersByTime(1000);
    expect(requestsSent()).toEqual({ [routed.ref]: 1 });
    expect(sent.every((m) => m.experimentId === experiment(0, '').id)).toBe(true);
  });

  it('counts nothing twice across steps and reports', () => {
    router.apply(experiment(10, '2026-01-01T00:00:01.000Z'));
    for (let i = 0; i < 30; i++) {
      const r = router.route('m', `k${i}`)!;
      if (i % 10 === 5) router.record(router.route('m', 'x')!.route, 'm@1', { ok: true, latencyMs: 1 });
      if (i % 10 === 5) router.apply(experiment(10 + i, `2026-01-01T00:00:${String(10 + i).padStart(2, '0')}.000Z`));
      if (i % 7 === 3) jest.advanceTimersByTime(1000);
      router.record(r.route, r.ref, { ok: true, latencyMs: 1 });
    }
    jest.advanceTimersByTime(1000);
    const by = requestsSent();
    expect(Object.values(by).reduce((s, n) => s + n, 0)).toBe(33);
  });
});
