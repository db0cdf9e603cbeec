import { quantileOfSorted } from './quantiles';
import { checkMatrix } from './validate';

/**
 * Element-wise transform of the raw features before standardisation: `none`; `log1p` = ln(1 + x) (damps heavy count
 * tails; counts only, x ≥ 0); `presence` = 1 when x > 0 else 0 (which templates a session has, not how often: a
 * missing or never-seen event moves a presence row out of the normal subspace whatever the counts).
 */
export type PcaTransform = 'none' | 'log1p' | 'presence';

/**
 * How the SPE limit (score 0.5) is set, both without labels: the Jackson–Mudholkar Q statistic, or a quantile of
 * out-of-fold SPEs of the training rows themselves (k-fold: each fold scored by a PCA fitted on the other folds).
 */
export type PcaThresholdRule = { kind: 'q-statistic' } | { kind: 'held-out-quantile'; quantile: number; folds?: number };

export interface PcaOptions {
  /** Feature transform applied before standardisation (default 'none'). */
  transform?: PcaTransform;
  /** SPE limit rule (default: the Q statistic). */
  threshold?: PcaThresholdRule;
  /** Keep the fewest leading components that explain at least this share of variance. Default 0.95. */
  varianceRatio?: number;
  /** Or a fixed number of components (overrides varianceRatio). */
  components?: number;
  /**
   * Lower bound on each feature's scale. Count features whose standard deviation is tiny (an event seen in 3 of 5,000
   * training windows) would otherwise turn a single extra event into a huge residual; 1 means "one event is one unit".
   * Default 0: plain standardisation (constant columns get scale 1).
   */
  minScale?: number;
  /** Q-statistic confidence: loglizer's default c_α = 3.2905 (α ≈ 0.0005, Jackson & Mudholkar 1979). */
  cAlpha?: number;
}

/** PCA residual model: the subspace of normal variation and the Q-statistic threshold on the squared residual. */
export interface PcaModel {
  /** Transform applied to raw rows before `mean`/`scale` (absent = 'none'). */
  transform?: PcaTransform;
  mean: number[];
  scale: number[];
  /** Principal axes, k rows of F values (unit length). */
  components: number[][];
  /** All F eigenvalues of the standardised covariance, descending. */
  eigenvalues: number[];
  explainedVarianceRatio: number;
  /** Jackson–Mudholkar Q statistic of the residual eigenvalues (the default SPE limit). */
  qThreshold: number;
  /** SPE at which a row is anomalous (score 0.5): the Q statistic or the held-out quantile (see PcaThresholdRule). */
  speLimit: number;
}

/** Applies a {@link PcaTransform} to rows (a copy; 'none' returns copies of the rows). */
export function applyPcaTransform(X: readonly (readonly number[])[], transform: PcaTransform = 'none'): number[][] {
  switch (transform) {
    case 'none':
      return X.map((r) => [...r]);
    case 'log1p':
      return X.map((r, i) =>
        r.map((v, j) => {
          if (!(v > -1)) throw new RangeError(`log1p needs values > −1 (row ${i}, feature ${j}: ${v})`);
          return Math.log1p(v);
        }),
      );
    case 'presence':
      return X.map((r) => r.map((v) => (v > 0 ? 1 : 0)));
  }
}

/**
 * Fits PCA for anomaly detection as Xu et al. (SOSP 2009) and loglizer do: standardise, keep the leading components,
 * score rows by the squared prediction error (SPE) of their projection onto the residual subspace.
 */
export function trainPca(raw: readonly (readonly number[])[], opts: PcaOptions = {}): PcaModel {
  const f = checkMatrix(raw);
  const transform = opts.transform ?? 'none';
  const X = applyPcaTransform(raw, transform);
  const n = X.length;
  const minScale = opts.minScale ?? 0;
  const mean = new Array<number>(f).fill(0);
  for (const row of X) for (let j = 0; j < f; j++) mean[j] += row[j];
  for (let j = 0; j < f; j++) mean[j] /= n;
  const variance = new Array<number>(f).fill(0);
  for (const row of X) for (let j = 0; j < f; j++) variance[j] += (row[j] - mean[j]) ** 2;
  const scale = variance.map((v, j) => {
    const std = Math.sqrt(v / n);
    const constant = std <= 10 * Number.EPSILON * Math.max(1, Math.abs(mean[j]));
    return Math.max(constant ? 1 : std, minScale);
  });
  const cov = Array.from({ length: f }, () => new Array<number>(f).fill(0));
  for (const row of X) {
    const z = row.map((x, j) => (x - mean[j]) / scale[j]);
    for (let a = 0; a < f; a++) for (let b = 0; b <= a; b++) cov[a][b] += z[a] * z[b];
  }
  for (let a = 0; a < f; a++) {
    for (let b = 0; b <= a; b++) {
      cov[a][b] /= n;
      cov[b][a] = cov[a][b];
    }
  }
  const { values, vectors } = symmetricEigen(cov);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  let k = opts.components ?? 0;
  if (!opts.components) {
    const ratio = opts.varianceRatio ?? 0.95;
    let acc = 0;
    for (k = 0; k < f && (total === 0 || acc / total < ratio); k++) acc += Math.max(values[k], 0);
    k = Math.max(1, k);
  }
  if (!(k >= 1 && k < f)) throw new RangeError(`PCA needs 1 ≤ components < ${f}, got ${k}`);
  const kept = values.slice(0, k).reduce((s, v) => s + Math.max(v, 0), 0);
  const qThreshold = qStatistic(values.slice(k).map((v) => Math.max(v, 0)), opts.cAlpha ?? 3.2905);
  const model: PcaModel = {
    ...(transform === 'none' ? {} : { transform }),
    mean,
    scale,
    components: vectors.slice(0, k),
    eigenvalues: values,
    explainedVarianceRatio: total === 0 ? 1 : kept / total,
    qThreshold,
    speLimit: qThreshold,
  };
  const rule = opts.threshold ?? { kind: 'q-statistic' };
  if (rule.kind === 'held-out-quantile') model.speLimit = heldOutSpeLimit(raw, opts, rule.quantile, rule.folds ?? 5);
  return model;
}

/**
 * The `quantile` of out-of-fold SPEs: rows are dealt into `folds` folds (row i into fold i mod folds), each fold is
 * scored by a PCA fitted on the others with the same options. No labels; a floor of 1e-9 keeps the limit positive.
 */
export function heldOutSpeLimit(X: readonly (readonly number[])[], opts: PcaOptions, quantile: number, folds = 5): number {
  if (!(quantile > 0 && quantile < 1)) throw new RangeError(`quantile must be in (0, 1), got ${quantile}`);
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= X.length)) throw new RangeError(`folds must be an integer in [2, ${X.length}]`);
  const inner: PcaOptions = { ...opts, threshold: { kind: 'q-statistic' } };
  const oof: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const fit = X.filter((_, i) => i % folds !== fold);
    const held = X.filter((_, i) => i % folds === fold);
    oof.push(...pcaSquaredErrors(held, trainPca(fit, inner)));
  }
  return Math.max(quantileOfSorted(oof.sort((a, b) => a - b), quantile), 1e-9);
}

/** Squared prediction error ‖z − z·PᵀP‖² of each row in the residual subspace (z the transformed, standardised row). */
export function pcaSquaredErrors(raw: readonly (readonly number[])[], model: PcaModel): number[] {
  const f = model.mean.length;
  raw.forEach((row, i) => {
    if (row.length !== f) throw new RangeError(`row ${i} has ${row.length} features, the model ${f}`);
  });
  const X = model.transform && model.transform !== 'none' ? applyPcaTransform(raw, model.transform) : raw;
  return X.map((row, i) => {
    if (row.length !== f) throw new RangeError(`row ${i} has ${row.length} features, the model ${f}`);
    const z = row.map((x, j) => (x - model.mean[j]) / model.scale[j]);
    const r = [...z];
    for (const axis of model.components) {
      let proj = 0;
      for (let j = 0; j < f; j++) proj += z[j] * axis[j];
      for (let j = 0; j < f; j++) r[j] -= proj * axis[j];
    }
    return r.reduce((s, v) => s + v * v, 0);
  });
}

/**
 * A bounded score SPE / (SPE + limit) in [0, 1): 0.5 exactly at the SPE limit (`speLimit`: the Q statistic unless a
 * held-out quantile was asked for). Bounded so float32 serving keeps absolute precision (raw SPE of anomalies runs
 * into the thousands).
 */
export function pcaScores(X: readonly (readonly number[])[], model: PcaModel): number[] {
  return pcaSquaredErrors(X, model).map((spe) => spe / (spe + model.speLimit));
}

/** The I − PᵀP matrix (F × F, row-major) whose product with z is the residual; what the ONNX graph multiplies by. */
export function pcaResidualProjector(model: PcaModel): number[][] {
  const f = model.mean.length;
  return Array.from({ length: f }, (_, a) =>
    Array.from({ length: f }, (_, b) => (a === b ? 1 : 0) - model.components.reduce((s, axis) => s + axis[a] * axis[b], 0)),
  );
}

/** Jackson & Mudholkar's Q statistic (upper control limit of the SPE) from the residual eigenvalues. */
export function qStatistic(residualEigenvalues: readonly number[], cAlpha: number): number {
  const phi = [1, 2, 3].map((p) => residualEigenvalues.reduce((s, l) => s + l ** p, 0));
  if (phi[0] <= 0) return Number.EPSILON;
  const h0 = 1 - (2 * phi[0] * phi[2]) / (3 * phi[1] * phi[1]);
  const inner = (cAlpha * Math.sqrt(2 * phi[1] * h0 * h0)) / phi[0] + 1 + (phi[1] * h0 * (h0 - 1)) / (phi[0] * phi[0]);
  return phi[0] * Math.pow(inner, 1 / h0);
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: eigenvalues descending, vectors as rows. */
export function symmetricEigen(A: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const n = A.length;
  const a = A.map((row) => [...row]);
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j][j] - a[i][i] || i - j);
  return {
    values: order.map((i) => a[i][i]),
    // column i of v is the eigenvector of a[i][i]; a sign rule (largest component positive) makes runs identical
    vectors: order.map((i) => {
      const vec = v.map((row) => row[i]);
      const big = vec.reduce((m, x, j) => (Math.abs(x) > Math.abs(vec[m]) ? j : m), 0);
      return vec[big] < 0 ? vec.map((x) => -x) : vec;
    }),
  };
}
