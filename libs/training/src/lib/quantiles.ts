import { checkMatrix } from './validate';

export const DEFAULT_BASELINE_QUANTILES: readonly number[] = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1];

/** Per-feature quantiles as [feature][q], interpolated like numpy's default: the baseline for drift checks. */
export function featureQuantiles(
  X: readonly (readonly number[])[],
  qs: readonly number[] = DEFAULT_BASELINE_QUANTILES,
): number[][] {
  const f = checkMatrix(X);
  const bad = qs.find((q) => !(q >= 0 && q <= 1));
  if (bad !== undefined) throw new RangeError(`quantile ${bad} is outside [0, 1]`);
  const out: number[][] = [];
  for (let j = 0; j < f; j++) {
    const sorted = X.map((row) => row[j]).sort((a, b) => a - b);
    out.push(qs.map((q) => quantileOfSorted(sorted, q)));
  }
  return out;
}

/** The q-quantile of an ascending array, interpolating between the two nearest ranks. */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
