// Drift statistics over two sketches that share their cells (bins or categories). Pure functions; no sampling.
import { type CategoricalSketch, type NumericSketch, sameEdges, stdOf } from './sketch';

/** Proportions below this are clipped to it in PSI and KL terms (Evidently's 0.0001), so empty cells stay finite. */
export const PROPORTION_FLOOR = 1e-4;

function proportions(counts: readonly number[]): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (n ? c / n : 0));
}

/** Population stability index Σ (c − r) · ln(c / r) over the cells' proportions (floored at {@link PROPORTION_FLOOR}). */
export function psi(reference: readonly number[], current: readonly number[]): number {
  checkCells(reference, current);
  const r = proportions(reference).map((p) => Math.max(p, PROPORTION_FLOOR));
  const c = proportions(current).map((p) => Math.max(p, PROPORTION_FLOOR));
  return r.reduce((acc, ri, i) => acc + (c[i] - ri) * Math.log(c[i] / ri), 0);
}

/**
 * Jensen–Shannon distance with base-2 logarithms (scipy's `jensenshannon(p, q, base=2)`, what Evidently and NannyML
 * threshold at 0.1): √(½ KL(p‖m) + ½ KL(q‖m)), m = ½ (p + q); 0 for equal distributions, 1 for disjoint ones.
 */
export function jensenShannon(reference: readonly number[], current: readonly number[]): number {
  checkCells(reference, current);
  const p = proportions(reference);
  const q = proportions(current);
  let d = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) d += 0.5 * p[i] * Math.log2(p[i] / m);
    if (q[i] > 0) d += 0.5 * q[i] * Math.log2(q[i] / m);
  }
  return Math.sqrt(Math.max(0, d));
}

/** 1-Wasserstein distance between two discrete distributions on the line (points with non-negative weights). */
export function wasserstein1(aPoints: readonly number[], aWeights: readonly number[], bPoints: readonly number[], bWeights: readonly number[]): number {
  const aw = aWeights.reduce((x, y) => x + y, 0);
  const bw = bWeights.reduce((x, y) => x + y, 0);
  if (!(aw > 0) || !(bw > 0)) return 0;
  const events: Array<[number, number]> = [];
  aPoints.forEach((x, i) => aWeights[i] > 0 && events.push([x, aWeights[i] / aw]));
  bPoints.forEach((x, i) => bWeights[i] > 0 && events.push([x, -bWeights[i] / bw]));
  events.sort((u, v) => u[0] - v[0]);
  let cdfDiff = 0;
  let total = 0;
  for (let i = 0; i < events.length - 1; i++) {
    cdfDiff += events[i][1];
    total += Math.abs(cdfDiff) * (events[i + 1][0] - events[i][0]);
  }
  return total;
}

/** Smallest reference spread normalised Wasserstein divides by (Evidently's floor), so a constant column stays finite. */
export const WASSERSTEIN_STD_FLOOR = 0.001;

/**
 * Wasserstein distance between the two histograms (each bin's mass at its own mean), divided by the reference's
 * standard deviation (floored at {@link WASSERSTEIN_STD_FLOOR}): "how many reference σ the mass moved" (Evidently's
 * `wasserstein` statistic, threshold 0.1).
 */
export function wassersteinNormalized(reference: NumericSketch, current: NumericSketch): number {
  checkEdges(reference, current);
  const centre = (s: NumericSketch) => s.counts.map((c, i) => (c ? s.sums[i] / c : 0));
  const w = wasserstein1(centre(reference), reference.counts, centre(current), current.counts);
  return w / Math.max(stdOf(reference) ?? 0, WASSERSTEIN_STD_FLOOR);
}

/**
 * Two-sample Kolmogorov–Smirnov on binned data: D is the largest gap between the two CDFs at the shared bin edges
 * (a lower bound of the unbinned D: the test is conservative), p from the asymptotic Kolmogorov distribution with
 * the effective sample size n·m/(n+m) and Stephens' small-sample correction.
 */
export function ksBinned(reference: readonly number[], current: readonly number[]): { statistic: number; pValue: number } {
  checkCells(reference, current);
  const n = reference.reduce((a, b) => a + b, 0);
  const m = current.reduce((a, b) => a + b, 0);
  if (!n || !m) return { statistic: 0, pValue: 1 };
  let fr = 0;
  let fc = 0;
  let d = 0;
  for (let i = 0; i < reference.length; i++) {
    fr += reference[i] / n;
    fc += current[i] / m;
    d = Math.max(d, Math.abs(fr - fc));
  }
  const ne = Math.sqrt((n * m) / (n + m));
  return { statistic: d, pValue: kolmogorovQ((ne + 0.12 + 0.11 / ne) * d) };
}

/** P(K > λ) for the Kolmogorov distribution: 2 Σ_{j≥1} (−1)^{j−1} e^{−2 j² λ²}. */
export function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  let sign = 1;
  for (let j = 1; j <= 100; j++) {
    const term = sign * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * Chi-square test of homogeneity on the 2×k table (reference counts, current counts) over the union of categories
 * (cells empty in both are dropped): unlike a goodness-of-fit against reference proportions it stays defined when
 * the current window holds a category the reference never saw.
 */
export function chiSquare(reference: readonly number[], current: readonly number[]): { statistic: number; df: number; pValue: number } {
  checkCells(reference, current);
  const n = reference.reduce((a, b) => a + b, 0);
  const m = current.reduce((a, b) => a + b, 0);
  if (!n || !m) return { statistic: 0, df: 0, pValue: 1 };
  let stat = 0;
  let cells = 0;
  for (let i = 0; i < reference.length; i++) {
    const col = reference[i] + current[i];
    if (col === 0) continue;
    cells++;
    const er = (col * n) / (n + m);
    const ec = (col * m) / (n + m);
    stat += (reference[i] - er) ** 2 / er + (current[i] - ec) ** 2 / ec;
  }
  const df = cells - 1;
  return { statistic: stat, df, pValue: df > 0 ? chiSquareSurvival(stat, df) : 1 };
}

/** P(X > x) for X ~ χ²(df): the upper regularised gamma Q(df/2, x/2). */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  return upperRegularizedGamma(df / 2, x / 2);
}

function lnGamma(z: number): number {
  // Lanczos approximation (g = 7, n = 9), |error| < 1e-13 for z > 0
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z);
  const x = z - 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Q(a, x) by the series (x < a + 1) or the continued fraction (Numerical Recipes' gser / gcf). */
export function upperRegularizedGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const gln = lnGamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let i = 0; i < 1000; i++) {
      ap++;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(-x + a * Math.log(x) - gln));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(-x + a * Math.log(x) - gln) * h);
}

/**
 * Benjamini–Hochberg adjusted p-values (same order as given): compare each with the false-discovery rate (0.05) to
 * decide which of many per-feature tests stay significant.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = order[k];
    running = Math.min(running, (p * m) / (k + 1));
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}

/** Reference and current counts over the union of both sketches' categories (plus their `other` cells). */
export function alignCategories(reference: CategoricalSketch, current: CategoricalSketch): { categories: string[]; reference: number[]; current: number[] } {
  const categories = [...new Set([...Object.keys(reference.counts), ...Object.keys(current.counts)])];
  const r = categories.map((c) => reference.counts[c] ?? 0);
  const c = categories.map((k) => current.counts[k] ?? 0);
  if (reference.other || current.other) {
    categories.push('(other)');
    r.push(reference.other);
    c.push(current.other);
  }
  return { categories, reference: r, current: c };
}

function checkCells(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length) throw new RangeError(`the two distributions have ${a.length} and ${b.length} cells`);
}

function checkEdges(a: NumericSketch, b: NumericSketch): void {
  if (!sameEdges(a.edges, b.edges)) throw new RangeError('the two histograms have different bin edges');
}
