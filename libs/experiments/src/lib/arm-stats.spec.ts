import { createRng } from '@loglens/training';
import { emptyArmCounts, LATENCY_SAMPLE, mergeArmCounts, recordRequest, REPORT_LATENCY_SAMPLE, thinnedLatencies, type ArmCounts } from './arm-stats';

/** an arm that saw `seen` latencies of `value` ms and keeps `kept` of them */
const armOf = (seen: number, kept: number, value: number): ArmCounts => ({ ...emptyArmCounts('m@1'), requests: seen, latencySeen: seen, latencies: new Array<number>(kept).fill(value) });
const share = (arm: ArmCounts, value: number) => arm.latencies.filter((x) => x === value).length / arm.latencies.length;

describe('latency samples', () => {
  it('keeps each latency to the microsecond (what goes to the registry every second)', () => {
    const arm = emptyArmCounts('m@1');
    recordRequest(arm, { ok: true, latencyMs: 1.23456789 });
    recordRequest(arm, { ok: true, latencyMs: 0.0004 });
    expect(arm.latencies).toEqual([1.235, 0]);
    expect(arm.latencySeen).toBe(2);
  });

  it('sends a report of at most REPORT_LATENCY_SAMPLE latencies, drawn from the reservoir, standing for every latency seen', () => {
    const arm = emptyArmCounts('m@1');
    for (let i = 0; i < 20_000; i++) recordRequest(arm, { ok: true, latencyMs: i % 100 });
    const sent = thinnedLatencies(arm, REPORT_LATENCY_SAMPLE, createRng(3).next);
    expect(arm.latencies).toHaveLength(LATENCY_SAMPLE);
    expect(sent.latencies).toHaveLength(REPORT_LATENCY_SAMPLE);
    expect(sent.latencySeen).toBe(20_000);
    expect(new Set(sent.latencies).size).toBeGreaterThan(50);
    // a small report goes as it is
    const small = armOf(10, 10, 1);
    expect(thinnedLatencies(small)).toBe(small);
  });

  it('weighs a thinned report by the latencies it stands for, not by the values it carries', () => {
    // 20,000 latencies of 1 ms kept as 2,000, then a report of 20,000 of 2 ms carried as 256: half and half
    const total = armOf(20_000, LATENCY_SAMPLE, 1);
    mergeArmCounts(total, armOf(20_000, REPORT_LATENCY_SAMPLE, 2), createRng(1).next);
    expect(total.latencySeen).toBe(40_000);
    expect(share(total, 2)).toBeCloseTo(0.5, 2);
    // a trickle of 10 latencies beside 20,000 gets its 0.05 %, not the share of 10 values among 256
    const trickled = armOf(20_000, REPORT_LATENCY_SAMPLE, 1);
    mergeArmCounts(trickled, armOf(10, 10, 2), createRng(2).next);
    expect(share(trickled, 2)).toBeLessThan(0.005);
  });

  it('fills back to LATENCY_SAMPLE over successive thinned reports, each second in proportion', () => {
    const total = emptyArmCounts('m@1');
    const rng = createRng(4).next;
    for (let second = 0; second < 30; second++) mergeArmCounts(total, armOf(20_000, REPORT_LATENCY_SAMPLE, second), rng);
    expect(total.latencies).toHaveLength(LATENCY_SAMPLE);
    expect(total.latencySeen).toBe(600_000);
    // every second's latencies hold about 1/30 of the sample: the first ten and the last ten about a third each
    expect(total.latencies.filter((x) => x < 10).length / LATENCY_SAMPLE).toBeCloseTo(1 / 3, 1);
    expect(total.latencies.filter((x) => x >= 20).length / LATENCY_SAMPLE).toBeCloseTo(1 / 3, 1);
  });

  it('concatenates two complete samples that fit', () => {
    const a = armOf(3, 3, 1);
    mergeArmCounts(a, armOf(2, 2, 2));
    expect(a.latencies).toEqual([1, 1, 1, 2, 2]);
    expect(a.latencySeen).toBe(5);
  });
});
