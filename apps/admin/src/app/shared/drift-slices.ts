import type { FeatureDriftDto } from '@loglens/contracts/protocol';

/** Slices a chosen window is cut into for the time series (one drift report each). */
export const SERIES_SLICES = 12;

/**
 * How far past its threshold a feature is, 1 = at the threshold: a distance over its threshold, a p-value as
 * log(p) / log(threshold) (p = threshold → 1, p = threshold² → 2). Null when the slice has no value.
 */
export function severityOf(f: Pick<FeatureDriftDto, 'statistic' | 'value' | 'threshold'> | undefined): number | null {
  if (!f || f.value === null) return null;
  if (f.statistic === 'ks' || f.statistic === 'chisquare') return Math.log10(Math.max(f.value, 1e-300)) / Math.log10(f.threshold);
  return f.value / f.threshold;
}

/** [from, to) cut into `n` equal slices. */
export function slicesOf(from: number, to: number, n = SERIES_SLICES): Array<{ from: number; to: number }> {
  const step = (to - from) / n;
  return Array.from({ length: n }, (_, i) => ({ from: Math.round(from + i * step), to: i === n - 1 ? to : Math.round(from + (i + 1) * step) }));
}
