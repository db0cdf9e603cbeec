import { buildReferenceProfile, emptyProfileLike, addWindow } from './profile';
import { compareProfiles } from './report';
import { DriftRangeError, bucketInRange, driftedSignals, mergeBuckets, resolveRange } from './window';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const HOUR = 3_600_000;

describe('resolveRange', () => {
  it('reads the named windows back from now, and custom from/to', () => {
    expect(resolveRange({}, NOW)).toEqual({ from: NOW - HOUR, to: NOW });
    expect(resolveRange({ window: '24h' }, NOW)).toEqual({ from: NOW - 24 * HOUR, to: NOW });
    expect(resolveRange({ window: '7d' }, NOW)).toEqual({ from: NOW - 168 * HOUR, to: NOW });
    expect(resolveRange({ from: '2026-12-05T10:00:00Z', to: '2026-12-05T11:30:00Z' }, NOW)).toEqual({ from: NOW - 2 * HOUR, to: NOW - HOUR / 2 });
    expect(resolveRange({ from: '2026-12-05T10:00:00Z' }, NOW)).toEqual({ from: NOW - 2 * HOUR, to: NOW });
    expect(resolveRange({ window: '1h', to: '2026-12-05T11:00:00Z' }, NOW)).toEqual({ from: NOW - 2 * HOUR, to: NOW - HOUR });
  });

  it.each([
    [{ window: '2h' }, 'window', /window must be one of 1h, 24h, 7d/],
    [{ from: '2026-02-31T00:00:00Z' }, 'from', /real calendar date/],
    [{ to: 'yesterday' }, 'to', /ISO 8601/],
    [{ from: '2026-12-05T11:00:00Z', to: '2026-12-05T10:00:00Z' }, 'from', /before to/],
    [{ from: '2026-11-01T00:00:00Z' }, 'from', /at most 8 days/],
    [{ window: '1h', from: '2026-12-05T11:00:00Z' }, 'from', /either window or from/],
  ] as const)('refuses %j naming %s', (q, parameter, message) => {
    let error: unknown;
    try {
      resolveRange(q, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DriftRangeError);
    expect((error as DriftRangeError).parameter).toBe(parameter);
    expect((error as DriftRangeError).message).toMatch(message);
  });
});

describe('bucketInRange', () => {
  it('counts a bucket in the range its start lies in, so consecutive ranges never share one', () => {
    const b = { bucketStart: NOW - 60_000 };
    expect(bucketInRange(b, NOW - HOUR, NOW)).toBe(true);
    expect(bucketInRange(b, NOW, NOW + HOUR)).toBe(false);
    expect(bucketInRange({ bucketStart: NOW }, NOW - HOUR, NOW)).toBe(false);
    expect(bucketInRange({ bucketStart: NOW }, NOW, NOW + HOUR)).toBe(true);
  });
});

describe('mergeBuckets', () => {
  const names = ['a', 'b'];
  const reference = buildReferenceProfile({
    featureNames: names,
    rows: Array.from({ length: 300 }, (_, i) => [i % 10, (i * 7) % 13]),
    scores: Array.from({ length: 300 }, (_, i) => (i % 100) / 100),
    threshold: 0.95,
  });
  const bucket = (rows: number[][]) => {
    const p = emptyProfileLike(reference);
    for (const row of rows) addWindow(p, { row, featureNames: names, score: 0.5, flagged: false });
    return { profile: p };
  };

  it('adds the buckets exactly: merging minutes equals folding them as one profile', () => {
    const rows1 = Array.from({ length: 40 }, (_, i) => [i % 10, (i * 7) % 13]);
    const rows2 = Array.from({ length: 60 }, (_, i) => [(i + 3) % 10, (i * 5) % 13]);
    const { profile, merged, skipped } = mergeBuckets(reference, [bucket(rows1), bucket(rows2)]);
    expect([merged, skipped]).toEqual([2, 0]);
    expect(profile).toEqual(bucket([...rows1, ...rows2]).profile);
  });

  it('skips a bucket folded with other edges instead of failing the report', () => {
    const other = buildReferenceProfile({ featureNames: names, rows: [[100, 200], [300, 400]] });
    const alien = emptyProfileLike(other);
    addWindow(alien, { row: [150, 250], featureNames: names, score: null, flagged: false });
    const { profile, merged, skipped } = mergeBuckets(reference, [bucket([[1, 2]]), { profile: alien }]);
    expect([merged, skipped, profile.windows]).toEqual([1, 1, 1]);
  });

  it('names what drifted: a feature moved far from training drifts, the other does not', () => {
    const shifted = Array.from({ length: 300 }, (_, i) => [i % 10, 40 + (i % 5)]);
    const { profile } = mergeBuckets(reference, [bucket(shifted)]);
    const report = compareProfiles(reference, profile);
    expect(driftedSignals(report)).toContain('b');
    expect(driftedSignals(report)).not.toContain('a');
  });
});
