import { predictLogistic, trainLogisticRegression } from './logistic-regression';
import { applyStandardScaler, fitStandardScaler } from './standard-scaler';

describe('trainLogisticRegression', () => {
  it('recovers the closed-form maximum-likelihood fit of a single binary feature', () => {
    // x = 0: one positive, one negative → logit 0; x = 1: two positives, one negative → logit ln 2
    const fit = trainLogisticRegression([[0], [0], [1], [1], [1]], [0, 1, 1, 1, 0], { l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.bias).toBeCloseTo(0, 10);
    expect(fit.weights[0]).toBeCloseTo(Math.LN2, 10);
  });

  it('separates linearly separable toy data with 100% accuracy', () => {
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 40; i++) {
      const a = (i % 8) - 3.5;
      const b = Math.floor(i / 8) - 2;
      X.push([a, b]);
      y.push(a + 0.5 * b > 0.2 ? 1 : 0);
    }
    const fit = trainLogisticRegression(X, y, { l2: 1e-4 });
    expect(fit.converged).toBe(true);
    const predicted = predictLogistic(X, fit).map((p) => (p >= 0.5 ? 1 : 0));
    expect(predicted).toEqual(y);
  });

  it('stops at a point where the regularised gradient vanishes', () => {
    const X = [
      [-1, 2],
      [0.5, 1],
      [2, -1],
      [1, 1],
      [-2, 0],
      [0, 0],
    ];
    const y = [0, 1, 1, 0, 0, 1];
    const l2 = 0.1;
    const fit = trainLogisticRegression(X, y, { l2 });
    const p = predictLogistic(X, fit);
    for (let j = 0; j < 2; j++) {
      const g = X.reduce((s, row, i) => s + (p[i] - y[i]) * row[j], 0) / X.length + l2 * fit.weights[j];
      expect(Math.abs(g)).toBeLessThan(1e-9);
    }
    expect(Math.abs(p.reduce((s, pi, i) => s + pi - y[i], 0))).toBeLessThan(1e-9);
  });

  it('shrinks weights as the L2 penalty grows', () => {
    const X = [[-2], [-1], [0], [1], [2], [0.5]];
    const y = [0, 0, 1, 1, 1, 0];
    const norms = [0, 0.1, 1].map((l2) => Math.abs(trainLogisticRegression(X, y, { l2 }).weights[0]));
    expect(norms[0]).toBeGreaterThan(norms[1]);
    expect(norms[1]).toBeGreaterThan(norms[2]);
  });

  it("lifts the rare class's scores with classWeight 'balanced'", () => {
    // 2 positives among 20 rows that overlap the negatives: unweighted, no row reaches 0.5 (max 0.316)
    const X = Array.from({ length: 20 }, (_, i) => [i / 19]);
    const y = X.map((_, i) => (i === 10 || i === 19 ? 1 : 0));
    const plain = predictLogistic(X, trainLogisticRegression(X, y));
    const balanced = predictLogistic(X, trainLogisticRegression(X, y, { classWeight: 'balanced' }));
    expect(plain.filter((p) => p >= 0.5)).toHaveLength(0);
    expect(balanced[19]).toBeCloseTo(0.805, 3);
    expect(balanced[10]).toBeGreaterThan(plain[10]);
  });

  it('is deterministic', () => {
    const X = [
      [1, 2],
      [2, 1],
      [3, 5],
      [0, 1],
    ];
    const y = [0, 1, 1, 0];
    expect(trainLogisticRegression(X, y)).toEqual(trainLogisticRegression(X, y));
  });

  it('rejects labels other than 0 and 1', () => {
    expect(() => trainLogisticRegression([[1], [2]], [0, 2])).toThrow(
      'label 1 is 2; binary labels must be 0 or 1',
    );
    expect(() => trainLogisticRegression([[1], [2]], [1, 1], { classWeight: 'balanced' })).toThrow(
      /both classes/,
    );
  });
});

describe('predictLogistic', () => {
  it('standardises rows with the scaler before applying the weights, as the ONNX graph does', () => {
    const X = [
      [1, 10],
      [3, 30],
      [5, 20],
    ];
    const scaler = fitStandardScaler(X);
    const model = { weights: [0.7, -0.3], bias: 0.1 };
    expect(predictLogistic(X, model, scaler)).toEqual(predictLogistic(applyStandardScaler(X, scaler), model));
  });

  it('computes sigmoid(x·w + b) without overflow at extreme logits', () => {
    const p = predictLogistic([[0], [1000], [-1000]], { weights: [1], bias: 0 });
    expect(p).toEqual([0.5, 1, 0]);
  });
});
