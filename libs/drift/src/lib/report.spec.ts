import { DEFAULT_DRIFT_CONFIG, DriftConfigError, driftConfigFrom } from './config';
import { addWindow, buildReferenceProfile, emptyProfileLike, mergeProfiles, profileProblem, type Profile } from './profile';
import { compareProfiles, wilsonLowerBound } from './report';

/** A deterministic pseudo-random stream (LCG) so the specs need no seeds from Math.random. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Rows of two features: `errors` ~ a small count, `rate` ~ uniform 10..20; scores ~ uniform 0..1. */
function rows(n: number, seed: number, shift = { errors: 0, rate: 0 }): number[][] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => [Math.floor(r() * 4) + shift.errors, 10 + 10 * r() + shift.rate]);
}

const NAMES = ['errors', 'rate'];

type Templates = Record<string, number> | ((window: number) => Record<string, number>);

function live(reference: ReturnType<typeof buildReferenceProfile>, data: number[][], templates?: Templates, flaggedEvery = 0): Profile {
  const p = emptyProfileLike(reference);
  data.forEach((row, i) =>
    addWindow(p, { row, featureNames: NAMES, score: row[1] / 20, flagged: flaggedEvery > 0 ? i % flaggedEvery === 0 : row[1] / 20 >= 0.95, templates: typeof templates === 'function' ? templates(i) : templates }),
  );
  return p;
}

describe('reference profiles and drift reports', () => {
  const trainRows = rows(400, 1);
  const reference = buildReferenceProfile({
    featureNames: NAMES,
    rows: trainRows,
    scores: trainRows.map((r) => r[1] / 20),
    threshold: 0.95,
    templates: { 'user <*> logged in': 8000, 'disk <*> full': 2000 },
  });

  it('builds the reference from training rows: decile edges per column, the anomaly rate against the threshold', () => {
    expect(profileProblem(reference)).toBeNull();
    expect(reference.features['errors'].edges).toEqual([0, 1, 2, 3]);
    expect(reference.features['rate'].edges).toHaveLength(11);
    expect(reference.windows).toBe(400);
    expect(reference.flagged).toBe(trainRows.filter((r) => r[1] / 20 >= 0.95).length);
    expect(reference.templates?.n).toBe(10_000);
    expect(JSON.parse(JSON.stringify(reference))).toEqual(reference);
  });

  it('the same process reports no drifted feature, no template drift, and no dataset drift', () => {
    const report = compareProfiles(reference, live(reference, rows(200, 2), { 'user <*> logged in': 80, 'disk <*> full': 20 }));
    expect(report.features.map((f) => [f.feature, f.statistic, f.drifted])).toEqual([
      ['errors', 'ks', false],
      ['rate', 'ks', false],
    ]);
    expect(report.templates).toMatchObject({ statistic: 'jensenshannon', drifted: false });
    expect(report.templates!.value).toBeCloseTo(0, 12);
    expect(report.unseenTemplates).toMatchObject({ rate: 0, drifted: false });
    expect(report.dataset).toEqual({ drifted: false, driftedFeatures: 0, features: 2, share: 0, threshold: 0.5 });
    expect(report.score?.drifted).toBe(false);
  });

  it('a 2σ move of one feature drifts that feature (and the score that follows it) only', () => {
    const report = compareProfiles(reference, live(reference, rows(200, 3, { errors: 0, rate: 6 })));
    const byName = Object.fromEntries(report.features.map((f) => [f.feature, f]));
    expect(byName['rate'].drifted).toBe(true);
    expect(byName['rate'].value).toBeLessThan(0.05);
    expect(byName['rate'].distances.wasserstein).toBeGreaterThan(1.5); // 6 / σ(U(10, 20)) = 6 / 2.89 ≈ 2.08
    expect(byName['errors'].drifted).toBe(false);
    expect(report.dataset).toMatchObject({ drifted: true, driftedFeatures: 1, share: 0.5 }); // 1 of 2 ≥ 50 %
    expect(report.score?.drifted).toBe(true);
  });

  it('template mix: a template ×5 and a new one at 2 % of lines show as template drift and unseen templates', () => {
    const report = compareProfiles(reference, live(reference, rows(100, 4), (i) => ({ 'user <*> logged in': 8, 'disk <*> full': 10, ...(i < 37 ? { 'fan <*> failed': 1 } : {}) })));
    expect(report.templates?.drifted).toBe(true);
    expect(report.templates!.topChanges.map((c) => c.template)).toEqual(['user <*> logged in', 'disk <*> full', 'fan <*> failed']);
    expect(report.templates!.topChanges[1]).toEqual({ template: 'disk <*> full', reference: 0.2, current: 1000 / 1837 });
    expect(report.unseenTemplates!.rate).toBeCloseTo(37 / 1837, 12);
    expect(report.unseenTemplates).toMatchObject({ drifted: true, examples: [{ template: 'fan <*> failed', lines: 37 }] });
  });

  it('unseen templates drift when their share is above the threshold beyond chance, not on one line of a few', () => {
    // 1 unseen line among 73 (1.4 %: above 1 %, but one line of a short check window) is no evidence
    const few = compareProfiles(reference, live(reference, rows(4, 4), (i) => ({ 'user <*> logged in': 8, 'disk <*> full': 10, ...(i === 0 ? { 'fan <*> failed': 1 } : {}) })));
    expect(few.unseenTemplates!.rate).toBeCloseTo(1 / 73, 12);
    expect(few.unseenTemplates).toMatchObject({ lines: 1, drifted: false });
    // the one-sided 95 % Wilson bound: 37 of 1,837 (2 %) is above 1 % beyond chance, 1 of 73 is not
    expect(wilsonLowerBound(37, 1837)).toBeGreaterThan(0.01);
    expect(wilsonLowerBound(1, 73)).toBeLessThan(0.01);
    expect(wilsonLowerBound(0, 10)).toBe(0);
  });

  it('the anomaly rate change is a two-proportion z-test', () => {
    const same = compareProfiles(reference, live(reference, trainRows));
    expect(same.anomalyRate).toMatchObject({ change: 0, pValue: 1, drifted: false });
    const loud = compareProfiles(reference, live(reference, rows(200, 5), undefined, 4)); // 25 % flagged
    // reference 45 / 400, current 50 / 200: pooled 95/600, z = 0.1375 / √(p̄(1 − p̄)(1/400 + 1/200)) = 4.349
    expect(reference.flagged).toBe(45);
    expect(loud.anomalyRate.current).toBeCloseTo(0.25, 12);
    const pooled = 95 / 600;
    const z = 0.1375 / Math.sqrt(pooled * (1 - pooled) * (1 / 400 + 1 / 200));
    expect(z).toBeCloseTo(4.3493, 4);
    expect(loud.anomalyRate.pValue).toBeCloseTo(1.36595e-5, 9); // 2·(1 − Φ(4.3493)), scipy: 1.36595e-05
    expect(loud.anomalyRate.drifted).toBe(true);
  });

  it('features with no live data are not judged; live profiles merge exactly', () => {
    const empty = compareProfiles(reference, emptyProfileLike(reference));
    expect(empty.features.every((f) => f.value === null && !f.drifted)).toBe(true);
    expect(empty.dataset.drifted).toBe(false);
    const data = rows(50, 6);
    const merged = mergeProfiles(live(reference, data.slice(0, 20)), live(reference, data.slice(20)));
    // exact up to the order floating-point sums were taken in
    const rounded = (p: Profile) => JSON.parse(JSON.stringify(p, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
    expect(rounded(merged)).toEqual(rounded(live(reference, data)));
    expect(merged.features['errors'].counts).toEqual(live(reference, data).features['errors'].counts);
  });

  it('above 1,000 reference rows the distances decide (Wasserstein), and per-model overrides apply', () => {
    const big = buildReferenceProfile({ featureNames: NAMES, rows: rows(1500, 7) });
    const report = compareProfiles(big, live(big, rows(300, 8, { errors: 0, rate: 1 })));
    const rate = report.features.find((f) => f.feature === 'rate')!;
    expect(rate.statistic).toBe('wasserstein');
    expect(rate.value).toBeGreaterThanOrEqual(0.1); // 1 / 2.89 ≈ 0.35 σ
    expect(rate.drifted).toBe(true);
    const lenient = driftConfigFrom({ drift: { features: { rate: { threshold: 0.5 } } } });
    expect(compareProfiles(big, live(big, rows(300, 8, { errors: 0, rate: 1 })), lenient).features.find((f) => f.feature === 'rate')!.drifted).toBe(false);
  });
});

describe('drift settings from version metadata', () => {
  it('defaults when absent; fields laid over the defaults', () => {
    expect(driftConfigFrom({})).toBe(DEFAULT_DRIFT_CONFIG);
    const c = driftConfigFrom({ drift: { thresholds: { jensenshannon: 0.2 }, numericStatistic: 'psi', datasetDriftShare: 0.3 } });
    expect(c.thresholds).toEqual({ psi: 0.1, jensenshannon: 0.2, wasserstein: 0.1, pValue: 0.05 });
    expect(c.numericStatistic).toBe('psi');
    expect(c.datasetDriftShare).toBe(0.3);
  });

  it.each([
    [{ drift: 'yes' }, /metadata.drift must be an object/],
    [{ drift: { threshold: 0.1 } }, /metadata.drift.threshold is not a drift setting/],
    [{ drift: { thresholds: { js: 0.1 } } }, /thresholds.js is not a threshold/],
    [{ drift: { thresholds: { pValue: 2 } } }, /thresholds.pValue must be a number in \(0, 1\]/],
    [{ drift: { numericStatistic: 'kl' } }, /numericStatistic must be one of auto, ks/],
    [{ drift: { features: { rate: { statistic: 'kl' } } } }, /features.rate.statistic must be one of/],
  ])('refuses %j naming the field', (metadata, message) => {
    expect(() => driftConfigFrom(metadata)).toThrow(DriftConfigError);
    expect(() => driftConfigFrom(metadata)).toThrow(message);
  });
});
