/**
 * Exact Shapley values by enumeration of all 2^n coalitions: φ_i = Σ_S |S|!(n−|S|−1)!/n! · (v(S ∪ {i}) − v(S)).
 * For checks on small models (n ≤ ~16); `v(known)` is the game.
 */
export function bruteForceShapley(n: number, v: (known: (j: number) => boolean) => number): Float64Array {
  if (n > 20) throw new RangeError(`2^${n} coalitions is too many`);
  const values = new Float64Array(1 << n);
  for (let mask = 0; mask < 1 << n; mask++) values[mask] = v((j) => (mask & (1 << j)) !== 0);
  const fact = [1];
  for (let k = 1; k <= n; k++) fact[k] = fact[k - 1] * k;
  const phi = new Float64Array(n);
  for (let mask = 0; mask < 1 << n; mask++) {
    let size = 0;
    for (let m = mask; m; m &= m - 1) size++;
    const w = (fact[size] * fact[n - size - 1]) / fact[n];
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) continue;
      phi[i] += w * (values[mask | (1 << i)] - values[mask]);
    }
  }
  return phi;
}
