import { checkMatrix } from './validate';

export interface StandardScaler {
  mean: number[];
  /** Population standard deviation per feature; 1 where the feature is constant, so scaling never divides by 0. */
  scale: number[];
}

/** Fits per-feature mean and population standard deviation (ddof 0, as scikit-learn's StandardScaler). */
export function fitStandardScaler(X: readonly (readonly number[])[]): StandardScaler {
  const f = checkMatrix(X);
  const n = X.length;
  const mean = new Array<number>(f).fill(0);
  for (const row of X) for (let j = 0; j < f; j++) mean[j] += row[j];
  for (let j = 0; j < f; j++) mean[j] /= n;
  // two passes rather than sum-of-squares: the one-pass formula loses precision for large counts with small spread
  const variance = new Array<number>(f).fill(0);
  for (const row of X) {
    for (let j = 0; j < f; j++) {
      const d = row[j] - mean[j];
      variance[j] += d * d;
    }
  }
  const scale = variance.map((v, j) => {
    const std = Math.sqrt(v / n);
    // a constant column still shows rounding noise in its mean; treat that noise as zero variance
    return std <= 10 * Number.EPSILON * Math.max(1, Math.abs(mean[j])) ? 1 : std;
  });
  return { mean, scale };
}

/** Returns (x - mean) / scale for every row. */
export function applyStandardScaler(X: readonly (readonly number[])[], scaler: StandardScaler): number[][] {
  return X.map((row) => {
    if (row.length !== scaler.mean.length) {
      throw new RangeError(`row has ${row.length} features, the scaler ${scaler.mean.length}`);
    }
    return row.map((x, j) => (x - scaler.mean[j]) / scaler.scale[j]);
  });
}
