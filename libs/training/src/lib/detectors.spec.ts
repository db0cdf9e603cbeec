import { binaryMetrics, prevalenceAdjusted } from './binary-metrics';
import { predictGradientBoosting, trainGradientBoosting } from './gradient-boosting';
import { averagePathLength, isolationForestScores, trainIsolationForest } from './isolation-forest';
import { applyPcaTransform, heldOutSpeLimit, pcaScores, pcaSquaredErrors, qStatistic, symmetricEigen, trainPca } from './pca';
import { createRng } from './random';
import { isSplit } from './regression-tree';

const rng = createRng(42);
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
// 500 normal rows on a line in 3-D (x, 2x, noise) and a few rows far off it
const normal = Array.from({ length: 500 }, () => {
  const t = gauss();
  return [t, 2 * t + 0.05 * gauss(), 0.05 * gauss()];
});
const outliers = [
  [0, 0, 3],
  [5, -10, 1],
  [8, 16, 0.5],
];

describe('isolation forest', () => {
  it('follows the paper: c(n), higher scores for isolated rows and below 0.5 for the bulk', () => {
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 3);
    const forest = trainIsolationForest(normal, { seed: 3 });
    const scores = isolationForestScores([...outliers, ...normal.slice(0, 50)], forest);
    expect(Math.min(...scores.slice(0, 3))).toBeGreaterThan(0.55);
    expect(scores.slice(3).reduce((a, b) => a + b, 0) / 50).toBeLessThan(0.5);
  });

  it('is deterministic for a seed and stores float32 thresholds', () => {
    const a = trainIsolationForest(normal, { seed: 9, trees: 10 });
    expect(trainIsolationForest(normal, { seed: 9, trees: 10 })).toEqual(a);
    expect(trainIsolationForest(normal, { seed: 10, trees: 10 })).not.toEqual(a);
    for (const t of a.trees) for (const n of t.nodes) if (isSplit(n)) expect(Math.fround(n.threshold)).toBe(n.threshold);
  });
});

describe('PCA', () => {
  it('decomposes a symmetric matrix into orthonormal eigenvectors, eigenvalues descending', () => {
    const A = [
      [4, 1, 2],
      [1, 3, 0],
      [2, 0, 5],
    ];
    const { values, vectors } = symmetricEigen(A);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]);
    vectors.forEach((v, k) => {
      const Av = A.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
      Av.forEach((x, i) => expect(x).toBeCloseTo(values[k] * v[i], 10));
      expect(v.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 12);
    });
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(12, 10);
  });

  it('keeps the line as the normal subspace and flags rows off it beyond the Q statistic', () => {
    const pca = trainPca(normal, { components: 1 });
    expect(pca.explainedVarianceRatio).toBeGreaterThan(0.6);
    const spe = pcaSquaredErrors(outliers.slice(0, 2), pca);
    expect(Math.min(...spe)).toBeGreaterThan(pca.qThreshold);
    const normalScores = pcaScores(normal, pca);
    expect(normalScores.filter((s) => s >= 0.5).length / normal.length).toBeLessThan(0.05);
    expect(pcaScores(outliers.slice(0, 2), pca).every((s) => s > 0.5 && s < 1)).toBe(true);
  });

  it('keeps the Q statistic as the limit by default and leaves models without a transform as before', () => {
    const pca = trainPca(normal, { components: 1 });
    expect(pca.speLimit).toBe(pca.qThreshold);
    expect(pca.transform).toBeUndefined();
    expect(trainPca(normal, { components: 1, transform: 'none' })).toEqual(pca);
  });

  it('sets the limit to a quantile of out-of-fold SPEs: about the asked share of held-out normal rows lies above it', () => {
    const opts = { components: 1 } as const;
    const limit = heldOutSpeLimit(normal, opts, 0.95, 5);
    const pca = trainPca(normal, { ...opts, threshold: { kind: 'held-out-quantile', quantile: 0.95, folds: 5 } });
    expect(pca.speLimit).toBe(limit);
    expect(pca.qThreshold).toBe(trainPca(normal, opts).qThreshold);
    // fold by fold, the held-out rows above the limit are about 5% of them
    let above = 0;
    for (let fold = 0; fold < 5; fold++) {
      const fit = trainPca(normal.filter((_, i) => i % 5 !== fold), opts);
      above += pcaSquaredErrors(normal.filter((_, i) => i % 5 === fold), fit).filter((e) => e > limit).length;
    }
    // 500 continuous SPEs: the interpolated 95th percentile lies between the 475th and 476th smallest
    expect(above).toBe(25);
    expect(pcaScores(outliers.slice(0, 2), pca).every((s) => s > 0.5)).toBe(true);
    expect(() => heldOutSpeLimit(normal, opts, 1)).toThrow(RangeError);
    expect(() => heldOutSpeLimit(normal, opts, 0.9, 1)).toThrow(RangeError);
  });

  it('applies log1p and presence transforms before standardising, in training and in scoring', () => {
    expect(applyPcaTransform([[0, 1, 3]], 'log1p')[0]).toEqual([0, Math.log(2), Math.log(4)]);
    expect(applyPcaTransform([[0, 1, 3, -2]], 'presence')).toEqual([[0, 1, 1, 0]]);
    expect(() => applyPcaTransform([[-1]], 'log1p')).toThrow(RangeError);
    // counts whose normal sessions always hold events 0 and 1 (in any number) and never event 2
    const counts = Array.from({ length: 300 }, (_, i) => [1 + (i % 5), 1 + ((i * 7) % 3), 0, i % 2]);
    const presence = trainPca(counts, { components: 1, minScale: 1, transform: 'presence' });
    expect(presence.transform).toBe('presence');
    const same = trainPca(applyPcaTransform(counts, 'presence'), { components: 1, minScale: 1 });
    expect(presence.mean).toEqual(same.mean);
    expect(pcaSquaredErrors(counts, presence)).toEqual(pcaSquaredErrors(applyPcaTransform(counts, 'presence'), same));
    // a huge count of a known event is normal for presence; a missing or unseen event is not
    expect(pcaScores([[50, 40, 0, 1]], presence)[0]).toBeLessThan(0.5);
    expect(pcaScores([[3, 0, 0, 1]], presence)[0]).toBeGreaterThan(0.5);
    expect(pcaScores([[3, 2, 1, 1]], presence)[0]).toBeGreaterThan(0.5);
    const log1p = trainPca(counts, { components: 2, transform: 'log1p' });
    expect(pcaSquaredErrors([counts[7]], log1p)[0]).toBeCloseTo(pcaSquaredErrors(applyPcaTransform([counts[7]], 'log1p'), { ...log1p, transform: 'none' })[0], 12);
  });

  it('computes the Q statistic of Jackson & Mudholkar (a single residual eigenvalue: λ·(1 + c·√2·h0/1)^(1/h0))', () => {
    const q = qStatistic([1], 1.645);
    expect(q).toBeGreaterThan(1);
    expect(qStatistic([0, 0], 3)).toBe(Number.EPSILON);
  });
});

describe('gradient boosting', () => {
  it('learns a rule on two count features exactly, deterministically', () => {
    // anomalous when a count is high and another is missing: an interaction, with a noise column to ignore
    const X = Array.from({ length: 400 }, (_, i) => [i % 7, Math.floor(i / 7) % 3, rng.next()]);
    const y = X.map(([a, b]) => (a >= 4 && b === 0 ? 1 : 0));
    const model = trainGradientBoosting(X, y, { trees: 30, maxDepth: 2, learningRate: 0.3 });
    expect(binaryMetrics(y, predictGradientBoosting(X, model), 0.5).f1).toBe(1);
    expect(trainGradientBoosting(X, y, { trees: 30, maxDepth: 2, learningRate: 0.3 })).toEqual(model);
  });

  it('reports progress per tree', () => {
    const calls: number[] = [];
    trainGradientBoosting([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 3, onProgress: (d) => calls.push(d), minChildWeight: 0 });
    expect(calls).toEqual([1, 2, 3]);
  });
});

describe('prevalenceAdjusted', () => {
  it('re-weights precision to another class mix from recall and false-positive rate', () => {
    // recall 0.9, FPR 0.01: at 3% prevalence 0.027 true vs 0.0097 false positives per row
    const m = binaryMetrics([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ...new Array(100).fill(0)], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, ...new Array(99).fill(0)], 0.5);
    const adj = prevalenceAdjusted(m, 0.03);
    expect(adj.precision).toBeCloseTo(0.027 / (0.027 + 0.0097), 10);
  });
});
