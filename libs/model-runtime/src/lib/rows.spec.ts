import { rowsToMatrix } from './rows';

describe('rowsToMatrix', () => {
  it('flattens array rows and maps named rows through the feature order', () => {
    expect(Array.from(rowsToMatrix([[1, 2], { b: 4, a: 3 }], 2, ['a', 'b'], 'm@1'))).toEqual([1, 2, 3, 4]);
  });

  it('names the row and the feature at fault', () => {
    expect(() => rowsToMatrix([[1, 2, 3]], 2, ['a', 'b'], 'm@1')).toThrow('row 0 has 3 values but m@1 takes 2 features (a, b)');
    expect(() => rowsToMatrix([[1, NaN]], 2, ['a', 'b'], 'm@1')).toThrow(/row 0, feature b: expected a finite number/);
    expect(() => rowsToMatrix([{ a: 1 }], 2, ['a', 'b'], 'm@1')).toThrow(/missing feature "b"/);
    expect(() => rowsToMatrix([{ a: 1, b: 2, zz: 3 }], 2, ['a', 'b'], 'm@1')).toThrow(/unknown feature\(s\) zz/);
    expect(() => rowsToMatrix([{ a: 1, b: 2 }], 2, null, 'm@1')).toThrow(/no feature schema/);
    expect(() => rowsToMatrix([7 as unknown as number[]], 2, null, 'm@1')).toThrow(/row 0 must be an array/);
  });
});
