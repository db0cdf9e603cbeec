import { applyStandardScaler, fitStandardScaler } from './standard-scaler';

describe('fitStandardScaler', () => {
  it('computes the mean and population standard deviation of each column', () => {
    const scaler = fitStandardScaler([
      [1, -2],
      [3, 0],
      [5, 8],
    ]);
    expect(scaler.mean).toEqual([3, 2]);
    // population variance: (4 + 0 + 4) / 3 and (16 + 4 + 36) / 3
    expect(scaler.scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 15);
    expect(scaler.scale[1]).toBeCloseTo(Math.sqrt(56 / 3), 15);
  });

  it('uses scale 1 for constant columns, including ones whose mean carries rounding noise', () => {
    const scaler = fitStandardScaler([
      [0.1, 7, 1],
      [0.1, 7, 2],
      [0.1, 7, 3],
    ]);
    expect(scaler.scale[0]).toBe(1);
    expect(scaler.scale[1]).toBe(1);
    expect(scaler.scale[2]).toBeCloseTo(Math.sqrt(2 / 3), 15);
  });

  it('standardises rows to zero mean and unit variance', () => {
    const X = [
      [1, 10],
      [2, 20],
      [6, 30],
    ];
    const Z = applyStandardScaler(X, fitStandardScaler(X));
    for (let j = 0; j < 2; j++) {
      const col = Z.map((r) => r[j]);
      expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
      expect(col.reduce((a, b) => a + b * b, 0) / col.length).toBeCloseTo(1, 12);
    }
  });

  it('rejects empty, ragged and non-finite input', () => {
    expect(() => fitStandardScaler([])).toThrow('X has no rows');
    expect(() => fitStandardScaler([[1, 2], [3]])).toThrow('row 1 has 1 values, row 0 has 2');
    expect(() => fitStandardScaler([[1, NaN]])).toThrow('row 0 contains a non-finite value');
  });
});
