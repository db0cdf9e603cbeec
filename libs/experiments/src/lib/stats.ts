/**
 * Significance tests for comparing arms. Closed forms only (no dependency). The normal tail is exact to double
 * precision (erfc below): a report's p-value is the z-test's to the last digits a reader can check by hand, where the
 * earlier Chebyshev fit (Numerical Recipes' `erfcc`, relative error 1.2e-7) differed from it in the 8th digit.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * Complementary error function to double precision: 1 − erf by its Maclaurin series for |x| < 1 (relative error
 * ~1e-15), the Laplace continued fraction e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) above (relative
 * error ~1e-15 from x = 1 on, evaluated backwards from 200 terms); erfc(−x) = 2 − erfc(x).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 1) {
    // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - TWO_OVER_SQRT_PI * sum;
  }
  if (x > 27) return 0;
  let f = x;
  for (let n = 200; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|). */
export function twoSidedP(z: number): number {
  if (!Number.isFinite(z)) return Number.isNaN(z) ? 1 : 0;
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

export interface ProportionTest {
  /** successes / trials of arm A (the control) and arm B (the candidate) */
  nA: number;
  nB: number;
  rateA: number;
  rateB: number;
  /** rateB − rateA */
  difference: number;
  z: number;
  /** two-sided, fixed horizon (valid for one look at the data) */
  pValue: number;
  /** always-valid p-value of the mixture SPRT at this look (valid however often the report is read) */
  sequentialPValue: number;
}

/**
 * Two-proportion z-test with the pooled standard error: z = (p̂B − p̂A) / √(p̂(1−p̂)(1/nA + 1/nB)), p̂ = (xA+xB)/(nA+nB).
 * `sequentialPValue` is the mixture SPRT's always-valid p-value (see {@link msprtPValue}) for the same difference.
 */
export function twoProportionZTest(xA: number, nA: number, xB: number, nB: number, tau = DEFAULT_MSPRT_TAU): ProportionTest {
  const rateA = nA > 0 ? xA / nA : 0;
  const rateB = nB > 0 ? xB / nB : 0;
  const difference = rateB - rateA;
  if (nA === 0 || nB === 0) return { nA, nB, rateA, rateB, difference, z: 0, pValue: 1, sequentialPValue: 1 };
  const pooled = (xA + xB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  const z = se > 0 ? difference / se : 0;
  const variance = (rateA * (1 - rateA)) / nA + (rateB * (1 - rateB)) / nB;
  return { nA, nB, rateA, rateB, difference, z, pValue: se > 0 ? twoSidedP(z) : 1, sequentialPValue: msprtPValue(difference, variance, tau) };
}

/** Mixing standard deviation τ of the mSPRT prior on the difference: effects of a few points are the ones we look for. */
export const DEFAULT_MSPRT_TAU = 0.05;

/**
 * Always-valid p-value of the normal mixture sequential probability ratio test (Johari, Pekelis, Walsh, "Always valid
 * inference", 2017) for an estimate θ̂ ~ N(θ, s²) of H0: θ = 0, prior θ ~ N(0, τ²):
 *   Λ = √(s² / (s² + τ²)) · exp(θ̂² τ² / (2 s² (s² + τ²))),   p = min(1, 1/Λ).
 * The p-value stays valid under continuous monitoring when the caller keeps the running minimum over looks
 * (the registry does, per experiment); a single value is conservative compared with the fixed-horizon z-test.
 */
export function msprtPValue(estimate: number, variance: number, tau = DEFAULT_MSPRT_TAU): number {
  if (!(variance > 0) || !(tau > 0)) return 1;
  const t2 = tau * tau;
  const logLambda = 0.5 * Math.log(variance / (variance + t2)) + (estimate * estimate * t2) / (2 * variance * (variance + t2));
  return Math.min(1, Math.exp(-logLambda));
}

export interface MannWhitneyResult {
  nA: number;
  nB: number;
  /** U of sample B: the number of (a, b) pairs with b > a, ties counting one half */
  u: number;
  /** U / (nA·nB): probability that a random B exceeds a random A (0.5 = no shift) */
  effect: number;
  z: number;
  /** two-sided, normal approximation with tie and continuity corrections */
  pValue: number;
}

/** Mann–Whitney U test (normal approximation, ties get mid-ranks). B larger than A → effect > 0.5, z > 0. */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const nA = a.length;
  const nB = b.length;
  if (nA === 0 || nB === 0) return { nA, nB, u: 0, effect: 0.5, z: 0, pValue: 1 };
  const all = [...a.map((v) => ({ v, b: false })), ...b.map((v) => ({ v, b: true }))].sort((x, y) => x.v - y.v);
  const n = all.length;
  let rankSumB = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1].v === all[i].v) j++;
    const midRank = (i + j + 2) / 2;
    const t = j - i + 1;
    if (t > 1) tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k].b) rankSumB += midRank;
    i = j + 1;
  }
  const u = rankSumB - (nB * (nB + 1)) / 2;
  const mean = (nA * nB) / 2;
  const variance = ((nA * nB) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const deviation = u - mean;
  const corrected = Math.sign(deviation) * Math.max(0, Math.abs(deviation) - 0.5);
  const z = variance > 0 ? corrected / Math.sqrt(variance) : 0;
  return { nA, nB, u, effect: u / (nA * nB), z, pValue: variance > 0 ? twoSidedP(z) : 1 };
}

/** Quantile (0–1) of a sample by linear interpolation between order statistics (numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** What two arms decided on the same inputs (shadow, or A/B scoring the same window twice). */
export interface AgreementCounts {
  /** inputs both arms scored */
  compared: number;
  bothFlagged: number;
  /** flagged by the control only (the candidate would drop the alarm) */
  controlOnly: number;
  /** flagged by the candidate only (the candidate would raise a new alarm) */
  candidateOnly: number;
}

export interface Agreement extends AgreementCounts {
  /** share of inputs on which both arms decided the same way */
  agreement: number;
  /** share of inputs both arms flagged */
  bothFlaggedShare: number;
  /** inputs on which the decision flipped (controlOnly + candidateOnly) */
  flips: number;
  /** both flagged / either flagged (1 when neither ever flagged) */
  flaggedOverlap: number;
}

export function emptyAgreement(): AgreementCounts {
  return { compared: 0, bothFlagged: 0, controlOnly: 0, candidateOnly: 0 };
}

/** Counts one input both arms scored. */
export function addAgreement(counts: AgreementCounts, controlFlagged: boolean, candidateFlagged: boolean): void {
  counts.compared++;
  if (controlFlagged && candidateFlagged) counts.bothFlagged++;
  else if (controlFlagged) counts.controlOnly++;
  else if (candidateFlagged) counts.candidateOnly++;
}

export function mergeAgreement(into: AgreementCounts, from: AgreementCounts): void {
  into.compared += from.compared;
  into.bothFlagged += from.bothFlagged;
  into.controlOnly += from.controlOnly;
  into.candidateOnly += from.candidateOnly;
}

export function agreementOf(counts: AgreementCounts): Agreement {
  const flips = counts.controlOnly + counts.candidateOnly;
  const either = counts.bothFlagged + flips;
  return {
    ...counts,
    agreement: counts.compared > 0 ? (counts.compared - flips) / counts.compared : 1,
    bothFlaggedShare: counts.compared > 0 ? counts.bothFlagged / counts.compared : 0,
    flips,
    flaggedOverlap: either > 0 ? counts.bothFlagged / either : 1,
  };
}
