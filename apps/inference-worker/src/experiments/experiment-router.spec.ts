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

describe('ExperimentRouter.mayBeShadowed (the shadow pool’s test before it parses a copy)', () => {
  const bus = { publish: () => undefined, subscribe: () => undefined } as unknown as EventBus;
  const health = { addDetails: () => undefined } as unknown as HealthResponder;
  const shadowOf = (model: string): ExperimentDto => ({ ...experiment(0, '2026-01-01T00:00:01.000Z'), model, kind: 'shadow', control: `${model}@1`, shadow: { percent: 100 } });
  const bytes = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  let router: ExperimentRouter;

  beforeEach(() => {
    router = new ExperimentRouter(bus, health, { instanceId: 'w1' } as ServiceIdentity);
  });

  it('passes nothing while no experiment shadows, and only the shadowed model’s requests once one does', () => {
    const plain = bytes({ model: 'bench-plain', rows: [[1, 2]] });
    const shadowed = bytes({ model: 'bench-shadow', rows: [[1, 2]] });
    expect(router.mayBeShadowed(shadowed)).toBe(false);
    router.apply(shadowOf('bench-shadow'));
    expect(router.mayBeShadowed(shadowed)).toBe(true);
    expect(router.mayBeShadowed(plain)).toBe(false);
    // a name that only contains the shadowed one is another model
    expect(router.mayBeShadowed(bytes({ model: 'bench-shadow-2', rows: [[1]] }))).toBe(false);
    // with spaces after the key, as any JSON writer may send it
    expect(router.mayBeShadowed(new TextEncoder().encode('{ "model" : "bench-shadow", "rows": [[1]] }'))).toBe(true);
  });

  it('passes what it cannot rule out: no model named (the worker’s only model), or an escape that may spell the name', () => {
    router.apply(shadowOf('bench-shadow'));
    expect(router.mayBeShadowed(bytes({ rows: [[1]] }))).toBe(true);
    expect(router.mayBeShadowed(new TextEncoder().encode('{"model":"bench-\\u0073hadow","rows":[[1]]}'))).toBe(true);
  });

  it('looks inside a sub-array of a larger buffer only (a NATS message is a view of the read buffer)', () => {
    router.apply(shadowOf('bench-shadow'));
    const all = new TextEncoder().encode(`${JSON.stringify({ model: 'bench-shadow' })}${JSON.stringify({ model: 'bench-plain' })}`);
    const first = JSON.stringify({ model: 'bench-shadow' }).length;
    expect(router.mayBeShadowed(all.subarray(first))).toBe(false);
    expect(router.mayBeShadowed(all.subarray(0, first))).toBe(true);
  });

  it('stops passing a model’s requests once its experiment ends', () => {
    router.apply(shadowOf('bench-shadow'));
    router.apply({ ...shadowOf('bench-shadow'), state: 'aborted', updatedAt: '2026-01-01T00:00:02.000Z' });
    expect(router.mayBeShadowed(bytes({ model: 'bench-shadow', rows: [[1]] }))).toBe(false);
  });
});
