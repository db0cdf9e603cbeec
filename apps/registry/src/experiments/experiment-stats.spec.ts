import { emptyArmCounts } from '@loglens/experiments';
import { armCountsOf } from './experiment-stats.service';

describe("a worker's per-arm counts as the registry reads them", () => {
  it('keeps a well-formed report as sent', () => {
    const arm = { ...emptyArmCounts('m@2'), requests: 10, errors: 1, rows: 10, anomalies: 3, scoreSum: 4.5, latencies: [1, 2, 3], latencySeen: 10 };
    arm.agreement = { compared: 10, bothFlagged: 2, controlOnly: 1, candidateOnly: 1 };
    expect(armCountsOf(JSON.parse(JSON.stringify(arm)) as Record<string, unknown>)).toEqual(arm);
  });

  it('drops a report without a version or with a count that is not a non-negative number', () => {
    const good = { ...emptyArmCounts('m@2'), requests: 1 } as unknown as Record<string, unknown>;
    expect(armCountsOf({ ...good, version: 7 })).toBeNull();
    expect(armCountsOf({ ...good, requests: -1 })).toBeNull();
    expect(armCountsOf({ ...good, errors: 'many' })).toBeNull();
    expect(armCountsOf({ ...good, rows: Number.NaN })).toBeNull();
  });

  it('caps the latency sample and zeroes junk inside it, and ignores a histogram of the wrong size', () => {
    const raw = { ...emptyArmCounts('m@1'), latencies: [...new Array<unknown>(5000).fill(1), 'x'], scoreHistogram: [1, 2] } as unknown as Record<string, unknown>;
    const arm = armCountsOf(raw)!;
    expect(arm.latencies.length).toBe(2000);
    expect(arm.scoreHistogram).toEqual(new Array(10).fill(0));
    expect(armCountsOf({ ...raw, latencies: [1, 'x', null] })!.latencies).toEqual([1, 0, 0]);
  });
});
