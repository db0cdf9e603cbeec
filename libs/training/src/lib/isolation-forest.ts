import { RegressionTree, TreeLeaf, TreeSplit, toFloat32Rows, treeValue } from './regression-tree';
import { createRng, sampleWithoutReplacement } from './random';
import { checkMatrix } from './validate';

export interface IsolationForestOptions {
  /** Default 100 (Liu et al. 2008: path lengths converge well before). */
  trees?: number;
  /** Rows per tree (ψ). Default 256. */
  sampleSize?: number;
  /** Default ceil(log2 ψ), the paper's height limit. */
  maxDepth?: number;
  seed?: number;
  /**
   * Also score how far a row lies outside the training range (see {@link RangeGuard}). Default false: the plain
   * isolation forest of the paper.
   */
  rangeGuard?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Isolation trees split only inside the range of the rows they were grown on, so a value far beyond the training
 * maximum ends in the same leaf as the largest training rows and scores no higher than they do (300 EAP failures look
 * like 1). The guard measures the distance outside [lower, upper] in units of the training range, g = max_j
 * max(x_j − upper_j, lower_j − x_j, 0) / scale_j, and the model scores max(s(x), g / (1 + g)): 0.5 one range-width
 * beyond anything seen in training.
 */
export interface RangeGuard {
  lower: number[];
  upper: number[];
  /** Training range (max − min) per feature; 1 for constant features. */
  scale: number[];
}

/** A trained isolation forest: each leaf holds its path length (depth plus the expected rest, c(size)). */
export interface IsolationForest {
  trees: RegressionTree[];
  sampleSize: number;
  /** c(ψ), the average path length of an unsuccessful BST search, which normalises scores. */
  normalizer: number;
  featureCount: number;
  guard?: RangeGuard;
}

const EULER_GAMMA = 0.5772156649015329;

/** c(n): average path length of an unsuccessful search in a binary search tree of n nodes (Liu et al. 2008). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** Fits an isolation forest (Liu, Ting & Zhou, ICDM 2008) on float32-rounded rows; deterministic for a seed. */
export function trainIsolationForest(X: readonly (readonly number[])[], opts: IsolationForestOptions = {}): IsolationForest {
  const f = checkMatrix(X);
  const rows = toFloat32Rows(X);
  const treeCount = opts.trees ?? 100;
  const sampleSize = Math.min(opts.sampleSize ?? 256, rows.length);
  const maxDepth = opts.maxDepth ?? Math.ceil(Math.log2(Math.max(sampleSize, 2)));
  const rng = createRng(opts.seed ?? 1);
  const trees: RegressionTree[] = [];
  for (let t = 0; t < treeCount; t++) {
    const sample = sampleWithoutReplacement(rng, rows.length, sampleSize).map((i) => rows[i]);
    const nodes: Array<TreeSplit | TreeLeaf> = [];
    const grow = (part: Float32Array[], depth: number): number => {
      const at = nodes.length;
      nodes.push({ value: 0 });
      // a leaf's value is the path length the paper's PathLength(x, T) returns there
      const leaf = (): number => {
        nodes[at] = { value: Math.fround(depth + averagePathLength(part.length)), cover: part.length };
        return at;
      };
      if (depth >= maxDepth || part.length <= 1) return leaf();
      const varying: number[] = [];
      const lo = new Array<number>(f).fill(Infinity);
      const hi = new Array<number>(f).fill(-Infinity);
      for (const r of part) {
        for (let j = 0; j < f; j++) {
          if (r[j] < lo[j]) lo[j] = r[j];
          if (r[j] > hi[j]) hi[j] = r[j];
        }
      }
      for (let j = 0; j < f; j++) if (hi[j] > lo[j]) varying.push(j);
      if (varying.length === 0) return leaf();
      const feature = varying[rng.int(varying.length)];
      // a float32 threshold in [lo, hi): rows equal to lo go left, hi goes right, so both sides are non-empty
      let threshold = Math.fround(lo[feature] + rng.next() * (hi[feature] - lo[feature]));
      if (!(threshold >= lo[feature] && threshold < hi[feature])) threshold = lo[feature];
      const left = part.filter((r) => r[feature] <= threshold);
      const right = part.filter((r) => r[feature] > threshold);
      const l = grow(left, depth + 1);
      const r = grow(right, depth + 1);
      nodes[at] = { feature, threshold, left: l, right: r, cover: part.length };
      return at;
    };
    grow(sample, 0);
    trees.push({ nodes });
    opts.onProgress?.(t + 1, treeCount);
  }
  const forest: IsolationForest = { trees, sampleSize, normalizer: averagePathLength(sampleSize), featureCount: f };
  if (opts.rangeGuard) forest.guard = fitRangeGuard(rows);
  return forest;
}

/** Float32 bounds and ranges of the training rows, for {@link RangeGuard}. */
export function fitRangeGuard(rows: readonly ArrayLike<number>[]): RangeGuard {
  const f = rows[0].length;
  const lower = new Array<number>(f).fill(Infinity);
  const upper = new Array<number>(f).fill(-Infinity);
  for (const r of rows) {
    for (let j = 0; j < f; j++) {
      if (r[j] < lower[j]) lower[j] = r[j];
      if (r[j] > upper[j]) upper[j] = r[j];
    }
  }
  const scale = lower.map((lo, j) => (upper[j] > lo ? Math.fround(upper[j] - lo) : 1));
  return { lower: lower.map(Math.fround), upper: upper.map(Math.fround), scale };
}

/** The guard's g / (1 + g) per row: 0 inside the training range, 0.5 one range-width outside it. */
export function rangeGuardScores(X: readonly (readonly number[])[], guard: RangeGuard): number[] {
  return toFloat32Rows(X).map((row) => {
    let g = 0;
    for (let j = 0; j < row.length; j++) {
      const out = Math.max(row[j] - guard.upper[j], guard.lower[j] - row[j], 0) / guard.scale[j];
      if (out > g) g = out;
    }
    return g / (1 + g);
  });
}

/** Mean path length E[h(x)] over the trees, per row (float32-rounded first, as the ONNX graph reads them). */
export function isolationForestPathLengths(X: readonly (readonly number[])[], forest: IsolationForest): number[] {
  return toFloat32Rows(X).map((row) => {
    if (row.length !== forest.featureCount) throw new RangeError(`row has ${row.length} features, the forest ${forest.featureCount}`);
    let sum = 0;
    for (const tree of forest.trees) sum += treeValue(tree, row);
    return sum / forest.trees.length;
  });
}

/**
 * Anomaly score s(x) = 2^(−E[h(x)] / c(ψ)) in (0, 1]: near 1 is anomalous, well below 0.5 normal; with a range guard,
 * the larger of s(x) and the guard's score.
 */
export function isolationForestScores(X: readonly (readonly number[])[], forest: IsolationForest): number[] {
  const s = isolationForestPathLengths(X, forest).map((h) => Math.pow(2, -h / forest.normalizer));
  if (!forest.guard) return s;
  const g = rangeGuardScores(X, forest.guard);
  return s.map((v, i) => Math.max(v, g[i]));
}
