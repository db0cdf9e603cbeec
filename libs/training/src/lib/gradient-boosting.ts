import { RegressionTree, TreeLeaf, TreeSplit, toFloat32Rows, treeValue } from './regression-tree';
import { checkLabels, checkMatrix } from './validate';

export interface GradientBoostingOptions {
  /** Default 100. */
  trees?: number;
  /** Default 3. */
  maxDepth?: number;
  /** Shrinkage per tree. Default 0.1. */
  learningRate?: number;
  /** L2 penalty on leaf values (XGBoost's λ). Default 1. */
  l2?: number;
  /** Minimum summed Hessian in a child (XGBoost's min_child_weight). Default 1. */
  minChildWeight?: number;
  /** Distinct values per feature beyond which values are grouped into quantile bins. Default 256. */
  maxBins?: number;
  /** 'balanced' weighs each class by n / (2·n_class), as for the logistic regression. Default none. */
  classWeight?: 'balanced';
  onProgress?: (done: number, total: number) => void;
}

/** Boosted trees for binary classification: score = sigmoid(base + Σ tree leaf values). */
export interface GradientBoostingModel {
  trees: RegressionTree[];
  /** Log-odds every row starts from (the weighted prior). */
  base: number;
  featureCount: number;
}

/**
 * Second-order gradient boosting of depth-limited regression trees on the logistic loss (Friedman 2001; leaf values
 * and split gains as in XGBoost: −G/(H+λ); splits searched over per-feature histograms, exact for features with at
 * most maxBins distinct values, such as counts). Thresholds and leaf values are float32 so the ONNX
 * tree ensemble reproduces the TypeScript scores. Deterministic: no sampling.
 */
export function trainGradientBoosting(
  X: readonly (readonly number[])[],
  y: readonly number[],
  opts: GradientBoostingOptions = {},
): GradientBoostingModel {
  const f = checkMatrix(X);
  checkLabels(y, X.length);
  const rows = toFloat32Rows(X);
  const n = rows.length;
  const treeCount = opts.trees ?? 100;
  const maxDepth = opts.maxDepth ?? 3;
  const eta = opts.learningRate ?? 0.1;
  const lambda = opts.l2 ?? 1;
  const minChild = opts.minChildWeight ?? 1;
  const positives = y.reduce((a, b) => a + b, 0);
  if (positives === 0 || positives === n) throw new RangeError('gradient boosting needs both classes in y');
  const w = y.map((v) =>
    opts.classWeight === 'balanced' ? (v === 1 ? n / (2 * positives) : n / (2 * (n - positives))) : 1,
  );
  const wPos = y.reduce((s, v, i) => s + (v === 1 ? w[i] : 0), 0);
  const wAll = w.reduce((a, b) => a + b, 0);
  const base = Math.fround(Math.log(wPos / (wAll - wPos)));
  const margin = new Float64Array(n).fill(base);
  const bins = binFeatures(rows, opts.maxBins ?? 256);

  const trees: RegressionTree[] = [];
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  for (let t = 0; t < treeCount; t++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-margin[i]));
      g[i] = w[i] * (p - y[i]);
      h[i] = Math.max(w[i] * p * (1 - p), 1e-16);
    }
    const nodes: Array<TreeSplit | TreeLeaf> = [];
    const grow = (idx: Int32Array, depth: number): number => {
      const at = nodes.length;
      nodes.push({ value: 0 });
      let G = 0;
      let H = 0;
      for (const i of idx) {
        G += g[i];
        H += h[i];
      }
      const leaf = (): number => {
        nodes[at] = { value: Math.fround((-G / (H + lambda)) * eta), cover: idx.length };
        return at;
      };
      if (depth >= maxDepth || idx.length < 2) return leaf();
      const parentScore = (G * G) / (H + lambda);
      let best: { gain: number; feature: number; bin: number } | null = null;
      for (let j = 0; j < f; j++) {
        const col = bins.codes[j];
        const k = bins.upper[j].length;
        if (k < 2) continue;
        // gradient histogram over the feature's bins: one pass over the node's rows, then a scan over bins
        const hg = new Float64Array(k);
        const hh = new Float64Array(k);
        for (const i of idx) {
          hg[col[i]] += g[i];
          hh[col[i]] += h[i];
        }
        let gl = 0;
        let hl = 0;
        for (let b = 0; b < k - 1; b++) {
          gl += hg[b];
          hl += hh[b];
          if (hh[b] === 0 && hl === 0) continue;
          if (hl < minChild || H - hl < minChild) continue;
          const gain = (gl * gl) / (hl + lambda) + ((G - gl) * (G - gl)) / (H - hl + lambda) - parentScore;
          if (gain > 1e-12 && (!best || gain > best.gain)) best = { gain, feature: j, bin: b };
        }
      }
      if (!best) return leaf();
      const { feature, bin } = best;
      const col = bins.codes[feature];
      const left = idx.filter((i) => col[i] <= bin);
      const right = idx.filter((i) => col[i] > bin);
      if (left.length === 0 || right.length === 0) return leaf();
      const l = grow(left, depth + 1);
      const r = grow(right, depth + 1);
      // rows of bin ≤ b hold values ≤ upper[b] and the next bin's values are ≥ lower[b + 1]
      const threshold = splitPoint(bins.upper[feature][bin], bins.lower[feature][bin + 1]);
      nodes[at] = { feature, threshold, left: l, right: r, cover: idx.length };
      return at;
    };
    grow(Int32Array.from({ length: n }, (_, i) => i), 0);
    const tree = { nodes };
    trees.push(tree);
    for (let i = 0; i < n; i++) margin[i] += treeValue(tree, rows[i]);
    opts.onProgress?.(t + 1, treeCount);
  }
  return { trees, base, featureCount: f };
}

/** Probability of the positive class per row (float32-rounded rows, as the ONNX graph reads them). */
export function predictGradientBoosting(X: readonly (readonly number[])[], model: GradientBoostingModel): number[] {
  return toFloat32Rows(X).map((row) => {
    if (row.length !== model.featureCount) throw new RangeError(`row has ${row.length} features, the model ${model.featureCount}`);
    let z = model.base;
    for (const tree of model.trees) z += treeValue(tree, row);
    return 1 / (1 + Math.exp(-z));
  });
}

/** A float32 threshold t with lo ≤ t < hi: the midpoint when float32 can hold it strictly below hi, else lo. */
function splitPoint(lo: number, hi: number): number {
  const mid = Math.fround((lo + hi) / 2);
  return mid >= lo && mid < hi ? mid : lo;
}

interface FeatureBins {
  /** Per feature, each row's bin. */
  codes: Uint16Array[];
  /** Per feature and bin, the smallest and largest training value in it. */
  lower: number[][];
  upper: number[][];
}

/** Groups each feature's values into at most maxBins ordered bins (one per distinct value when there are few). */
function binFeatures(rows: readonly Float32Array[], maxBins: number): FeatureBins {
  const n = rows.length;
  const f = rows[0].length;
  const out: FeatureBins = { codes: [], lower: [], upper: [] };
  for (let j = 0; j < f; j++) {
    const distinct = [...new Set(rows.map((r) => r[j]))].sort((a, b) => a - b);
    let edges: number[];
    if (distinct.length <= maxBins) edges = distinct;
    else {
      const sorted = rows.map((r) => r[j]).sort((a, b) => a - b);
      edges = [...new Set(Array.from({ length: maxBins }, (_, b) => sorted[Math.min(n - 1, Math.floor(((b + 1) * n) / maxBins) - 1)]))];
      if (edges[edges.length - 1] < distinct[distinct.length - 1]) edges.push(distinct[distinct.length - 1]);
    }
    // edges are each bin's largest value: a value belongs to the first bin whose edge is ≥ it
    const codes = new Uint16Array(n);
    const lower = new Array<number>(edges.length).fill(Infinity);
    for (let i = 0; i < n; i++) {
      const x = rows[i][j];
      let lo = 0;
      let hi = edges.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (edges[mid] >= x) hi = mid;
        else lo = mid + 1;
      }
      codes[i] = lo;
      if (x < lower[lo]) lower[lo] = x;
    }
    out.codes.push(codes);
    out.lower.push(lower);
    out.upper.push(edges);
  }
  return out;
}
