import { DEFAULT_BASELINE_QUANTILES, featureQuantiles } from './quantiles';

describe('featureQuantiles', () => {
  it('interpolates linearly between ranks per feature, like numpy.quantile', () => {
    // numpy.quantile([1, 2, 3, 4, 10], [0, 0.25, 0.5, 0.9, 1]) = [1, 2, 3, 7.6, 10]
    const X = [
      [4, 0],
      [1, 0],
      [10, 0],
      [3, 5],
      [2, 0],
    ];
    const [first, second] = featureQuantiles(X, [0, 0.25, 0.5, 0.9, 1]);
    expect(first[0]).toBe(1);
    expect(first[1]).toBe(2);
    expect(first[2]).toBe(3);
    expect(first[3]).toBeCloseTo(7.6, 12);
    expect(first[4]).toBe(10);
    expect(second.map((v) => Number(v.toFixed(12)))).toEqual([0, 0, 0, 3, 5]);
  });

  it('uses the nine baseline quantiles from 0 to 1 by default', () => {
    expect(DEFAULT_BASELINE_QUANTILES).toEqual([0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1]);
    const X = Array.from({ length: 101 }, (_, i) => [i]);
    expect(featureQuantiles(X)).toEqual([[0, 1, 5, 25, 50, 75, 95, 99, 100]]);
  });

  it('rejects quantiles outside [0, 1]', () => {
    expect(() => featureQuantiles([[1]], [0.5, 1.5])).toThrow('quantile 1.5 is outside [0, 1]');
  });
});
