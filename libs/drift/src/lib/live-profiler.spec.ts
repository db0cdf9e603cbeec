import { compareProfiles } from './report';
import { buildReferenceProfile, mergeProfiles } from './profile';
import { LiveProfiler } from './live-profiler';

const NAMES = ['errors', 'events'];
const reference = buildReferenceProfile({
  featureNames: NAMES,
  rows: Array.from({ length: 200 }, (_, i) => [i % 3, 10 + (i % 7)]),
  scores: Array.from({ length: 200 }, (_, i) => (i % 10) / 10),
  threshold: 0.9,
  templates: { 'GET <*> in <*>': 900, 'user <*> logged in': 100 },
});
const MINUTE = 60_000;

describe('LiveProfiler', () => {
  it('folds windows per (version, minute) with the reference edges, renaming live templates', () => {
    const p = new LiveProfiler();
    p.add('m@1', reference, { at: 5 * MINUTE + 1, row: [1, 12], featureNames: NAMES, score: 0.2, flagged: false, templates: [['GET <*> <*> in <*> ms', 9]] });
    p.add('m@1', reference, { at: 5 * MINUTE + 59_999, row: [7, 30], featureNames: NAMES, score: 0.95, flagged: true, templates: [['fan <*> failed', 1]] });
    p.add('m@1', reference, { at: 6 * MINUTE, row: [0, 10], featureNames: NAMES, score: 0.1, flagged: false });
    p.add('m@2', reference, { at: 5 * MINUTE, row: [0, 10], featureNames: NAMES, score: 0.1, flagged: false });
    const buckets = p.drain();
    expect(buckets.map((b) => [b.modelVersion, b.bucketStart, b.profile.windows, b.profile.flagged])).toEqual([
      ['m@1', 5 * MINUTE, 2, 1],
      ['m@2', 5 * MINUTE, 1, 0],
      ['m@1', 6 * MINUTE, 1, 0],
    ]);
    const first = buckets[0].profile;
    expect(first.features['errors'].edges).toEqual(reference.features['errors'].edges);
    expect(first.features['errors'].counts).toEqual([0, 1, 0, 1]); // 1 → (0, 1]; 7 → above the training max 2
    expect(first.templates).toEqual({ counts: { 'GET <*> in <*>': 9, 'fan <*> failed': 1 }, other: 0, n: 10 });
    expect(p.size).toBe(0);
    // merged buckets compare with the reference: the unseen template is 10 % of lines
    const report = compareProfiles(reference, buckets.map((b) => b.profile).reduce(mergeProfiles));
    expect(report.unseenTemplates).toMatchObject({ rate: 0.1, drifted: true });
  });

  it('hands over only the buckets closed by now, each once', () => {
    const p = new LiveProfiler();
    p.add('m@1', reference, { at: 5 * MINUTE + 10, row: [1, 12], featureNames: NAMES, score: 0.2, flagged: false });
    p.add('m@1', reference, { at: 6 * MINUTE + 10, row: [1, 12], featureNames: NAMES, score: 0.2, flagged: false });
    expect(p.drain(6 * MINUTE - 1)).toEqual([]);
    expect(p.drain(6 * MINUTE + 20).map((b) => b.bucketStart)).toEqual([5 * MINUTE]);
    expect(p.drain(6 * MINUTE + 20)).toEqual([]);
    expect(p.drain().map((b) => b.bucketStart)).toEqual([6 * MINUTE]);
  });

  it('counts template lines per source without counting windows, and which of them the reference never saw', () => {
    const p = new LiveProfiler();
    p.add('m@1', reference, { at: 5 * MINUTE, row: [1, 12], featureNames: NAMES, score: 0.2, flagged: false });
    p.addLines('m@1', reference, 5 * MINUTE + 5, 'web', [
      ['GET <*> <*> in <*> ms', 18],
      ['fan <*> failed', 2],
    ]);
    p.addLines('m@1', reference, 5 * MINUTE + 6, 'auth', [['user <*> logged in', 5]]);
    const [b] = p.drain();
    expect(b.profile.windows).toBe(1);
    expect(b.profile.templates).toEqual({ counts: { 'GET <*> in <*>': 18, 'fan <*> failed': 2, 'user <*> logged in': 5 }, other: 0, n: 25 });
    expect(b.sources).toEqual({ web: { lines: 20, unseen: 2 }, auth: { lines: 5, unseen: 0 } });
  });

  it('skips versions without a reference profile', () => {
    const p = new LiveProfiler();
    p.add('uploaded@1', null, { at: 0, row: [1, 2], featureNames: NAMES, score: 0.5, flagged: false });
    p.addLines('uploaded@1', null, 0, 'web', [['GET <*>', 3]]);
    expect(p.drain()).toEqual([]);
  });
});
