// Mergeable sketches of one column: a fixed-bin histogram for numbers, counts for categories (templates).
//
// Why fixed bins and not KLL / t-digest: the reference profile (from training) and every live profile share the same
// bin edges, so (a) merging two sketches is exact (add the counts), whatever the order or the number of agents;
// (b) PSI, Jensen–Shannon, chi-square and binned KS compare the same cells with no interpolation between two
// different summaries; (c) a sketch is a few dozen numbers of JSON, cheap to fold on the hot path, to publish and to
// store per minute. KLL / t-digest would give better quantiles of a never-seen range, but two sketches of them have
// different centroids, so every divergence needs a re-binning that is itself an approximation.

/** Bins per feature when the edges come from data: deciles (10 quantile bins, plus below-min and above-max). */
export const DEFAULT_BINS = 10;

/**
 * A histogram with fixed edges e_0 < … < e_{k-1} and right-closed bins: bin 0 holds x ≤ e_0 (the training minimum
 * and anything below), bin i holds e_{i-1} < x ≤ e_i, bin k holds x > e_{k-1} (above the training maximum). Right
 * closed, so a constant training column (e.g. a count that was always 0) still separates 0 from anything larger.
 * `sums` per bin give each bin's mean, so Wasserstein and the mean move are measured, not guessed from edges.
 */
export interface NumericSketch {
  edges: number[];
  counts: number[];
  sums: number[];
  n: number;
  sum: number;
  sumSq: number;
  min: number | null;
  max: number | null;
  /** NaN / ±Infinity values seen (not in any bin) */
  nonFinite: number;
}

/** Counts per category (e.g. template text); categories past `maxCategories` share `other`. */
export interface CategoricalSketch {
  counts: Record<string, number>;
  other: number;
  n: number;
}

/** Most categories a sketch keeps by name; further ones are counted in `other`. */
export const DEFAULT_MAX_CATEGORIES = 500;

/** The q-quantile of an ascending array, interpolating between the two nearest ranks (numpy's default). */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Bin edges from a column's training values: its min, its quantiles at i/bins, its max, without repeats. */
export function edgesFromValues(values: readonly number[], bins = DEFAULT_BINS): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return [0];
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const e = quantileOfSorted(sorted, i / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}

export function emptyNumericSketch(edges: readonly number[]): NumericSketch {
  if (edges.length === 0) throw new RangeError('a histogram needs at least one edge');
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1])) throw new RangeError(`bin edges must increase strictly (edge ${i}: ${edges[i]} after ${edges[i - 1]})`);
  }
  const k = edges.length + 1;
  return { edges: [...edges], counts: new Array(k).fill(0), sums: new Array(k).fill(0), n: 0, sum: 0, sumSq: 0, min: null, max: null, nonFinite: 0 };
}

/** The bin x falls in: how many edges lie strictly below it (binary search). */
export function binOf(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Folds one value in (in place; O(log bins)). */
export function addNumeric(s: NumericSketch, x: number): void {
  if (!Number.isFinite(x)) {
    s.nonFinite++;
    return;
  }
  const b = binOf(s.edges, x);
  s.counts[b]++;
  s.sums[b] += x;
  s.n++;
  s.sum += x;
  s.sumSq += x * x;
  s.min = s.min === null ? x : Math.min(s.min, x);
  s.max = s.max === null ? x : Math.max(s.max, x);
}

/** A sketch of `values` over `edges` (the training column's own edges when omitted). */
export function numericSketch(values: readonly number[], edges: readonly number[] = edgesFromValues(values)): NumericSketch {
  const s = emptyNumericSketch(edges);
  for (const v of values) addNumeric(s, v);
  return s;
}

/** a + b as a new sketch; both must have the same edges (exact merge). */
export function mergeNumeric(a: NumericSketch, b: NumericSketch): NumericSketch {
  if (!sameEdges(a.edges, b.edges)) throw new RangeError('cannot merge histograms with different bin edges');
  return {
    edges: [...a.edges],
    counts: a.counts.map((c, i) => c + b.counts[i]),
    sums: a.sums.map((c, i) => c + b.sums[i]),
    n: a.n + b.n,
    sum: a.sum + b.sum,
    sumSq: a.sumSq + b.sumSq,
    min: a.min === null ? b.min : b.min === null ? a.min : Math.min(a.min, b.min),
    max: a.max === null ? b.max : b.max === null ? a.max : Math.max(a.max, b.max),
    nonFinite: a.nonFinite + b.nonFinite,
  };
}

export function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((e, i) => e === b[i]);
}

export function meanOf(s: NumericSketch): number | null {
  return s.n ? s.sum / s.n : null;
}

/** Population standard deviation (numpy's default ddof 0). */
export function stdOf(s: NumericSketch): number | null {
  if (!s.n) return null;
  const m = s.sum / s.n;
  return Math.sqrt(Math.max(0, s.sumSq / s.n - m * m));
}

export function emptyCategoricalSketch(): CategoricalSketch {
  return { counts: {}, other: 0, n: 0 };
}

/** Folds `weight` occurrences of `category` in (in place). */
export function addCategory(s: CategoricalSketch, category: string, weight = 1, maxCategories = DEFAULT_MAX_CATEGORIES): void {
  if (!(weight > 0)) return;
  if (Object.prototype.hasOwnProperty.call(s.counts, category)) s.counts[category] += weight;
  else if (Object.keys(s.counts).length < maxCategories) s.counts[category] = weight;
  else s.other += weight;
  s.n += weight;
}

export function categoricalSketch(counts: Record<string, number> | ReadonlyMap<string, number>, maxCategories = DEFAULT_MAX_CATEGORIES): CategoricalSketch {
  const s = emptyCategoricalSketch();
  const entries = counts instanceof Map ? [...counts.entries()] : Object.entries(counts);
  // the most frequent keep their names
  for (const [k, v] of entries.sort((x, y) => y[1] - x[1])) addCategory(s, k, v, maxCategories);
  return s;
}

export function mergeCategorical(a: CategoricalSketch, b: CategoricalSketch, maxCategories = DEFAULT_MAX_CATEGORIES): CategoricalSketch {
  const out: CategoricalSketch = { counts: { ...a.counts }, other: a.other, n: a.n };
  for (const [k, v] of Object.entries(b.counts)) addCategory(out, k, v, maxCategories);
  out.other += b.other;
  out.n += b.other;
  return out;
}
