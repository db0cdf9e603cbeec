import type { ScoreRows } from './explainer';

export interface PermutationOptions {
  /** permutations per row (rounded up to an even number: each is paired with its reverse) */
  samples: number;
  seed: number;
}

/**
 * Sampled Shapley values (Štrumbelj & Kononenko's permutation estimator, antithetic pairs) of the real model against
 * one reference row: for each permutation, features switch from the reference to x one at a time and each takes the
 * score change. Every permutation's changes add up to f(x) − f(reference), so the estimate sums exactly; each value
 * is approximate. Costs samples × (F + 1) scored rows, sent in one batch per permutation pair.
 */
export async function permutationShapley(
  x: readonly number[],
  reference: readonly number[],
  score: ScoreRows,
  opts: PermutationOptions,
): Promise<{ base: number; output: number; phi: Float64Array }> {
  const f = x.length;
  const phi = new Float64Array(f);
  const pairs = Math.max(1, Math.ceil(opts.samples / 2));
  const rand = mulberry32(opts.seed);
  let base = NaN;
  let output = NaN;
  for (let p = 0; p < pairs; p++) {
    const order = Array.from({ length: f }, (_, j) => j);
    for (let i = f - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const orders = [order, [...order].reverse()];
    const batch: number[][] = [];
    for (const o of orders) {
      const row = [...reference];
      batch.push([...row]);
      for (const j of o) {
        row[j] = x[j];
        batch.push([...row]);
      }
    }
    const scores = await score(batch);
    if (scores.length !== batch.length)
      throw new Error(`the model returned ${scores.length} scores for ${batch.length} rows`);
    orders.forEach((o, k) => {
      const s = scores.slice(k * (f + 1), (k + 1) * (f + 1));
      base = s[0];
      output = s[f];
      o.forEach((j, step) => (phi[j] += s[step + 1] - s[step]));
    });
  }
  for (let j = 0; j < f; j++) phi[j] /= pairs * 2;
  return { base, output, phi };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
