import { bestF1Threshold, binaryMetrics } from './binary-metrics';

describe('binaryMetrics', () => {
  it('counts score ≥ threshold as positive and derives precision, recall, F1 and accuracy', () => {
    const m = binaryMetrics([1, 1, 0, 1, 0, 0], [0.9, 0.4, 0.6, 0.5, 0.1, 0.5], 0.5);
    expect(m).toEqual({
      tp: 2,
      fn: 1,
      fp: 2,
      tn: 1,
      precision: 0.5,
      recall: 2 / 3,
      f1: 4 / 7,
      accuracy: 0.5,
    });
  });

  it('reports 0 rather than NaN when nothing is flagged', () => {
    const m = binaryMetrics([1, 0], [0.1, 0.2], 0.5);
    expect(m).toMatchObject({ precision: 0, recall: 0, f1: 0, accuracy: 0.5 });
  });
});

describe('bestF1Threshold', () => {
  it('picks the cut with the highest F1, halfway to the next lower score', () => {
    // cuts after 0.9 / 0.8 / 0.7 / 0.6 / 0.2 give F1 0.5, 0.8, 0.667, 0.857, 0.75
    const best = bestF1Threshold([1, 1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.2]);
    expect(best.f1).toBeCloseTo(6 / 7, 15);
    expect(best.threshold).toBeCloseTo(0.4, 15);
    expect(binaryMetrics([1, 1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.2], best.threshold).f1).toBeCloseTo(
      6 / 7,
      15,
    );
  });

  it('never splits rows with equal scores', () => {
    const best = bestF1Threshold([1, 0, 0], [0.5, 0.5, 0.1]);
    expect(best).toEqual({ threshold: 0.3, f1: 2 / 3 });
  });

  it('keeps the highest threshold when two cuts tie', () => {
    // flagging {0.9} or all four rows both give F1 2/3
    const best = bestF1Threshold([1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6]);
    expect(best.f1).toBe(2 / 3);
    expect(best.threshold).toBeCloseTo(0.85, 15);
  });

  it('refuses labels without positives', () => {
    expect(() => bestF1Threshold([0, 0], [0.1, 0.9])).toThrow('F1 is undefined without positive labels');
  });
});
