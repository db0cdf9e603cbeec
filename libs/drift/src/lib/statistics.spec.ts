import { benjaminiHochberg, chiSquare, chiSquareSurvival, jensenShannon, kolmogorovQ, ksBinned, psi, wasserstein1, wassersteinNormalized } from './statistics';
import { numericSketch } from './sketch';

// Expected values are worked by hand (formulas in the comments) and agree with scipy 1.17
// (scipy.spatial.distance.jensenshannon, scipy.stats.chi2_contingency, scipy.special.kolmogorov, wasserstein_distance).
describe('drift statistics', () => {
  it('PSI of (½, ½) → (¼, ¾) is ¼ ln 2 + ¼ ln 1.5', () => {
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 12); // 0.274653
    expect(psi([10, 20, 30], [10, 20, 30])).toBe(0);
  });

  it('PSI floors empty cells at 1e-4 instead of dividing by zero', () => {
    // (1e-4 − 1)·ln(1e-4) + (1 − 1e-4)·ln(1/1e-4) = 2·(1 − 1e-4)·ln(1e4)
    expect(psi([10, 0], [0, 10])).toBeCloseTo(2 * (1 - 1e-4) * Math.log(1e4), 9);
  });

  it('Jensen–Shannon distance (base 2): 0 when equal, 1 when disjoint, 0.220896 for (½, ½) vs (¼, ¾)', () => {
    // m = (0.375, 0.625); ½·[½ log2(½/0.375) + ½ log2(½/0.625)] + ½·[¼ log2(¼/0.375) + ¾ log2(¾/0.625)] = 0.0487948
    expect(jensenShannon([1, 1], [1, 3])).toBeCloseTo(Math.sqrt(0.0487948), 6);
    expect(jensenShannon([1, 1], [1, 3])).toBeCloseTo(0.22089576884901735, 12);
    expect(jensenShannon([3, 4, 0], [3, 4, 0])).toBe(0);
    expect(jensenShannon([5, 0], [0, 7])).toBeCloseTo(1, 12);
  });

  it('Wasserstein-1 between point masses is the area between the CDFs', () => {
    expect(wasserstein1([0, 1], [1, 1], [1, 2], [1, 1])).toBeCloseTo(1, 12);
    // {0,0,1,3} vs {1,2,2,5}: |F| gaps 0.5 on [0,1), 0.25 on [1,2), 0.25 on [2,3), 0 on [3,5)… = 0.5+0.25+0.25+0.5 = 1.5
    expect(wasserstein1([0, 1, 3], [2, 1, 1], [1, 2, 5], [1, 2, 1])).toBeCloseTo(1.5, 12);
  });

  it('normalised Wasserstein: a shift by one reference σ reads 1; edges must match', () => {
    const ref = numericSketch([0, 2, 0, 2], [0, 2]); // mean 1, σ 1
    const cur = numericSketch([1, 3, 1, 3], [0, 2]); // bins: 1 → (0,2], 3 → above 2
    expect(wassersteinNormalized(ref, cur)).toBeCloseTo(1, 12);
    expect(() => wassersteinNormalized(ref, numericSketch([1], [0, 1]))).toThrow(/different bin edges/);
  });

  it('Kolmogorov tail: Q(1.36) ≈ 0.0495 (the classic 5 % critical value), Q(0.5) ≈ 0.964', () => {
    expect(kolmogorovQ(1.36)).toBeCloseTo(0.049485876755377876, 9);
    expect(kolmogorovQ(0.5)).toBeCloseTo(0.9639452436648751, 9);
    expect(kolmogorovQ(0)).toBe(1);
  });

  it('binned KS: D is the largest CDF gap at the edges; p from n·m/(n+m)', () => {
    const { statistic, pValue } = ksBinned([50, 50, 0], [0, 50, 50]);
    expect(statistic).toBeCloseTo(0.5, 12);
    const ne = Math.sqrt((100 * 100) / 200);
    expect(pValue).toBeCloseTo(kolmogorovQ((ne + 0.12 + 0.11 / ne) * 0.5), 12);
    expect(pValue).toBeLessThan(1e-9);
    expect(ksBinned([10, 20, 30], [20, 40, 60])).toEqual({ statistic: expect.closeTo(0, 12), pValue: 1 });
  });

  it('chi-square homogeneity: [[10,20],[20,10]] → 6.667, df 1, p 0.00982; a category only one side has stays defined', () => {
    const r = chiSquare([10, 20], [20, 10]);
    expect(r.statistic).toBeCloseTo(20 / 3, 12);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeCloseTo(0.009823274507519235, 9);
    const three = chiSquare([30, 20, 0, 0], [10, 20, 5, 0]); // the empty fourth cell is dropped
    expect(three.statistic).toBeCloseTo(12.75, 10);
    expect(three.df).toBe(2);
    expect(three.pValue).toBeCloseTo(0.0017036197958025744, 9);
  });

  it('chi-square survival matches the tables', () => {
    expect(chiSquareSurvival(10, 3)).toBeCloseTo(0.01856613546304325, 10);
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 9);
    expect(chiSquareSurvival(0, 4)).toBe(1);
  });

  it('Benjamini–Hochberg adjusts p·m/rank with a running minimum from the largest', () => {
    // sorted 0.01, 0.03, 0.04, 0.2 → 0.04, min(0.06, 0.0533), 0.0533, 0.2
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.2]);
    [0.04, 0.16 / 3, 0.16 / 3, 0.2].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
    expect(benjaminiHochberg([])).toEqual([]);
  });
});
