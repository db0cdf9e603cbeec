import { addAgreement, agreementOf, emptyAgreement, erfc, mannWhitneyU, msprtPValue, normalCdf, quantile, twoProportionZTest } from './stats';

describe('erfc', () => {
  // reference values: CPython's math.erfc (correctly rounded to about one ulp)
  it.each([
    [0, 1.0],
    [0.1, 0.8875370839817152],
    [0.5, 0.4795001221869535],
    [0.99, 0.1614919304446302],
    [1, 0.15729920705028513],
    [2, 0.004677734981047265],
    [2.9, 4.109787809945886e-05],
    [3, 2.2090496998585438e-05],
    [3.1, 1.1648657367199589e-05],
    [4, 1.541725790028002e-08],
    [5, 1.5374597944280351e-12],
    [10, 2.088487583762545e-45],
    [-1, 1.842700792949715],
  ])('erfc(%d) to 1e-13 relative', (x, want) => {
    expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-13);
  });
});

describe('statistics', () => {
  it('computes the normal CDF to 1e-7', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(2.5)).toBeCloseTo(0.9937903347, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980, 7);
  });

  it('matches a hand-computed two-proportion z-test', () => {
    // control 30 / 200 = 0.15, candidate 50 / 200 = 0.25; pooled p = 80 / 400 = 0.2
    // SE = √(0.2 · 0.8 · (1/200 + 1/200)) = √0.0016 = 0.04; z = 0.10 / 0.04 = 2.5; p = 2 · (1 − Φ(2.5)) = 0.0124193
    const t = twoProportionZTest(30, 200, 50, 200);
    expect(t.rateA).toBe(0.15);
    expect(t.rateB).toBe(0.25);
    expect(t.difference).toBeCloseTo(0.1, 12);
    expect(t.z).toBeCloseTo(2.5, 10);
    expect(t.pValue).toBeCloseTo(0.0124193, 6);
    expect([t.nA, t.nB]).toEqual([200, 200]);
  });

  it('gives an always-valid p-value more conservative than the fixed-horizon one', () => {
    // θ̂ = 0.1, s² = 0.0016, τ² = 0.0025: log Λ = ½ ln(0.0016 / 0.0041) + 0.01 · 0.0025 / (2 · 0.0016 · 0.0041)
    //   = −0.470492 + 1.905488 = 1.434996; p = e^−1.434996 = 0.238116
    expect(msprtPValue(0.1, 0.0016, 0.05)).toBeCloseTo(0.238116, 5);
    const t = twoProportionZTest(30, 200, 50, 200);
    expect(t.sequentialPValue).toBeGreaterThan(t.pValue);
    // a large sample with the same rates is significant under both
    const big = twoProportionZTest(1500, 10000, 2500, 10000);
    expect(big.sequentialPValue).toBeLessThan(1e-6);
    expect(twoProportionZTest(0, 0, 5, 10).pValue).toBe(1);
  });

  it('matches a hand-computed Mann–Whitney U', () => {
    // A = 1,2,3 and B = 4,5,6: every B beats every A, U = 9 of 9; mean 4.5, σ² = 3·3·7/12 = 5.25
    // z = (9 − 4.5 − 0.5) / √5.25 = 1.745743; p = 2 · (1 − Φ(1.745743)) = 0.080856
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(r.u).toBe(9);
    expect(r.effect).toBe(1);
    expect(r.z).toBeCloseTo(1.745743, 5);
    expect(r.pValue).toBeCloseTo(0.080856, 4);
    // ties get mid-ranks: identical samples give U = nA·nB / 2 and p = 1
    const same = mannWhitneyU([5, 5, 5, 7], [5, 5, 5, 7]);
    expect(same.u).toBe(8);
    expect(same.pValue).toBe(1);
  });

  it('finds a threefold latency shift significant', () => {
    const a = Array.from({ length: 200 }, (_, i) => 2 + (i % 10) * 0.1);
    const b = a.map((x) => x * 3);
    const r = mannWhitneyU(a, b);
    expect(r.effect).toBeGreaterThan(0.99);
    expect(r.pValue).toBeLessThan(1e-10);
  });

  it('interpolates quantiles like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 1, 5], 0.99)).toBeCloseTo(9.9, 10);
    expect(quantile([], 0.5)).toBe(0);
  });

  it('counts agreement, both-flagged share and flips', () => {
    const c = emptyAgreement();
    const pairs: [boolean, boolean][] = [
      [true, true],
      [true, false],
      [false, true],
      [false, false],
      [false, false],
    ];
    for (const [a, b] of pairs) addAgreement(c, a, b);
    const a = agreementOf(c);
    expect(a).toMatchObject({ compared: 5, bothFlagged: 1, controlOnly: 1, candidateOnly: 1, flips: 2 });
    expect(a.agreement).toBeCloseTo(0.6, 12);
    expect(a.bothFlaggedShare).toBeCloseTo(0.2, 12);
    expect(a.flaggedOverlap).toBeCloseTo(1 / 3, 12);
  });
});
