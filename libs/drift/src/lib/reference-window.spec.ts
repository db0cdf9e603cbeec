import { LiveProfiler } from './live-profiler';
import { buildReferenceProfile } from './profile';
import { MAX_SAMPLE_ROWS, referenceFromSamples, sampleProblem, sampledWindows, type ReferenceSample } from './reference-window';

const NAMES = ['a', 'b'];

describe('reference windows', () => {
  it('collects raw rows of a version without a reference in sample buckets (NaN as null, bounded per bucket)', () => {
    const p = new LiveProfiler(1000);
    p.collect('m@1', 1500, NAMES, [1, NaN], 0.5, false);
    p.collect('m@1', 1999, NAMES, [2, 3], null, true);
    p.collect('m@1', 2000, NAMES, [4, 5], 0.1, false);
    const [first, second] = p.drain();
    expect(first.bucketStart).toBe(1000);
    expect(first.sample).toEqual({ featureNames: NAMES, rows: [[1, null], [2, 3]], scores: [0.5, null] });
    expect(first.profile).toMatchObject({ features: {}, score: null, windows: 2, flagged: 1 });
    expect(sampleProblem(first.sample)).toBeNull();
    expect(second.sample?.rows).toEqual([[4, 5]]);
    for (let i = 0; i < MAX_SAMPLE_ROWS + 10; i++) p.collect('m@1', 5000, NAMES, [i, i], 0, false);
    expect(p.drain()[0].sample?.rows.length).toBe(MAX_SAMPLE_ROWS);
  });

  it('freezes the first N rows exactly as training rows are profiled, and not before N are in', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i, (i * 7) % 11]);
    const scores = rows.map((_, i) => i / 30);
    const samples: ReferenceSample[] = [
      { featureNames: NAMES, rows: rows.slice(0, 10), scores: scores.slice(0, 10) },
      { featureNames: ['other'], rows: [[1]], scores: [0] },
      { featureNames: NAMES, rows: rows.slice(10), scores: scores.slice(10) },
    ];
    expect(sampledWindows(samples)).toBe(30);
    expect(referenceFromSamples(samples, 31, 0.9)).toBeNull();
    const frozen = referenceFromSamples(samples, 25, 0.5);
    const expected = buildReferenceProfile({ featureNames: NAMES, rows: rows.slice(0, 25), scores: scores.slice(0, 25), threshold: 0.5, origin: 'reference-window' });
    expect(frozen).toEqual({ reference: expected, rows: 25 });
    expect(frozen?.reference.origin).toBe('reference-window');
    expect(frozen?.reference.flagged).toBe(10); // 15/30 … 24/30
  });

  it('leaves the score out when some rows had none, and refuses malformed samples naming the field', () => {
    const frozen = referenceFromSamples([{ featureNames: NAMES, rows: [[1, 2], [3, null]], scores: [0.1, null] }], 2, null);
    expect(frozen?.reference.score).toBeNull();
    expect(frozen?.reference.features['b'].nonFinite).toBe(1);
    expect(sampleProblem({ featureNames: NAMES, rows: [[1]], scores: [0] })).toMatch(/rows\[0\]/);
    expect(sampleProblem({ featureNames: NAMES, rows: [[1, 2]], scores: [] })).toMatch(/scores/);
    expect(sampleProblem({ featureNames: ['a', 'a'], rows: [], scores: [] })).toMatch(/repeat/);
  });
});
