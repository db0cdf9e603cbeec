import { PerformanceTracker } from './performance-tracker';

describe('PerformanceTracker', () => {
  it('keeps totals, bounded samples and 10-second buckets per version', () => {
    let now = 1_000_000;
    const t = new PerformanceTracker(() => now);
    for (let i = 0; i < 600; i++) t.recordSuccess('m', 'm@1', { rows: 2, latencyMs: i, queueMs: 0.1, computeMs: 0.2, batchRequests: 4 });
    t.recordFailure('m', 'm@1', 5);
    now += 10_000;
    t.recordSuccess('m', 'm@1', { rows: 1, latencyMs: 1, queueMs: 0, computeMs: 0, batchRequests: 1 });
    const [v] = t.snapshot();
    expect(v).toMatchObject({ ref: 'm@1', success: 601, failure: 1, inferences: 1201, executions: 151 });
    expect(v.latencyMs).toHaveLength(512);
    expect(v.buckets.map((b) => [b[1], b[2], b[3]])).toEqual([
      [601, 1, 1200],
      [1, 0, 1],
    ]);
  });
});
