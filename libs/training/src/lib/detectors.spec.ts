import { binaryMetrics, prevalenceAdjusted } from './binary-metrics';
import { predictGradientBoosting, trainGradientBoosting } from './gradient-boosting';
import { averagePathLength, isolationForestScores, trainIsolationForest } from './isolation-forest';
import { pcaScores, pcaSquaredErrors, qStatistic, symmetricEigen, trainPca } from './pca';
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
