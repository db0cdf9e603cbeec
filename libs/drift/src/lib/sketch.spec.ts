import { addCategory, binOf, categoricalSketch, edgesFromValues, emptyCategoricalSketch, mergeCategorical, mergeNumeric, numericSketch, stdOf } from './sketch';

describe('histogram sketches', () => {
  it('edges are the min, the i/bins quantiles and the max, without repeats', () => {
    expect(edgesFromValues([1, 2, 3, 4, 5], 4)).toEqual([1, 2, 3, 4, 5]);
    // a count that is mostly zero: deciles collapse onto 0
    edgesFromValues([0, 0, 0, 0, 0, 0, 0, 0, 3, 7], 10).forEach((e, i) => expect(e).toBeCloseTo([0, 0.6, 3.4, 7][i], 12));
    expect(edgesFromValues([0, 0, 0, 0, 0, 0, 0, 0, 3, 7], 10)).toHaveLength(4);
    expect(edgesFromValues([4, 4, 4])).toEqual([4]);
    expect(edgesFromValues([NaN])).toEqual([0]);
  });

  it('bins are right-closed: ≤ first edge, (e_i-1, e_i], > last edge', () => {
    const edges = [0, 3, 7];
    expect([-1, 0, 0.5, 3, 3.1, 7, 8].map((x) => binOf(edges, x))).toEqual([0, 0, 1, 1, 2, 2, 3]);
    // a constant training column still tells its value from any larger one
    const s = numericSketch([0, 0, 0], [0]);
    expect(s.counts).toEqual([3, 0]);
  });

  it('folds counts, per-bin sums, moments and extremes; non-finite values are counted apart', () => {
    const s = numericSketch([1, 2, 2, 9, NaN, Infinity], [1, 2]);
    expect(s.counts).toEqual([1, 2, 1]);
    expect(s.sums).toEqual([1, 4, 9]);
    expect(s.n).toBe(4);
    expect(s.nonFinite).toBe(2);
    expect([s.min, s.max]).toEqual([1, 9]);
    expect(stdOf(s)).toBeCloseTo(Math.sqrt((1 + 4 + 4 + 81) / 4 - 3.5 ** 2), 12);
  });

  it('merging is exact: the merge of two halves equals the sketch of the whole', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    const edges = edgesFromValues(values, 5);
    const whole = numericSketch(values, edges);
    const merged = mergeNumeric(numericSketch(values.slice(0, 7), edges), numericSketch(values.slice(7), edges));
    expect(merged).toEqual(whole);
    expect(() => mergeNumeric(whole, numericSketch(values, [0, 1]))).toThrow(/different bin edges/);
  });

  it('categorical sketches keep the most frequent names and count the rest as other', () => {
    const s = categoricalSketch({ a: 1, b: 5, c: 3 }, 2);
    expect(s).toEqual({ counts: { b: 5, c: 3 }, other: 1, n: 9 });
    const t = emptyCategoricalSketch();
    addCategory(t, 'c', 2, 2);
    addCategory(t, 'd', 4, 2);
    expect(mergeCategorical(s, t, 2)).toEqual({ counts: { b: 5, c: 5 }, other: 5, n: 15 });
  });
});
