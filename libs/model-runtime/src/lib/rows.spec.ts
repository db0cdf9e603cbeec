import { prepareRows, rowsToMatrix } from './rows';
import type { RowLayout } from './signature';

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

describe('prepareRows', () => {
  const vector = (width: number | null, featureNames: string[] | null = null): RowLayout => ({ kind: 'vector', input: 'x', type: 'float32', width, featureNames, fixedBatch: null });

  it('lets the first row set the width when neither the model nor a schema does', () => {
    const p = prepareRows([[1, 2, 3], [4, 5, 6]], vector(null), { ref: 'm@1' });
    expect(p.columns[0]).toMatchObject({ name: 'x', perRow: 3, rank: 2 });
    expect(Array.from(p.columns[0].data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(p.shapeKey).toBe('w3');
    expect(() => prepareRows([[1, 2, 3], [4, 5]], vector(null), { ref: 'm@1' })).toThrow('row 1 has 2 values but row 0 has 3');
  });

  it('reads null as NaN for a feature vector only when missing values are allowed', () => {
    const rows = [[1, null] as unknown as number[]];
    expect(() => prepareRows(rows, vector(2, ['a', 'b']), { ref: 'm@1' })).toThrow('row 0, feature b: expected a finite number, got null');
    const p = prepareRows(rows, vector(2, ['a', 'b']), { ref: 'm@1', allowMissing: true });
    expect(Number.isNaN((p.columns[0].data as Float32Array)[1])).toBe(true);
  });

  it('gives one column per field, shaped [N] or [N,1] by the input rank', () => {
    const layout: RowLayout = {
      kind: 'fields',
      fields: [
        { name: 'n', type: 'int64', rank: 1 },
        { name: 's', type: 'string', rank: 2 },
      ],
      fixedBatch: null,
    };
    const p = prepareRows([{ n: 3, s: 'a' }, [4, 'b'] as unknown as number[]], layout, { ref: 'm@1' });
    expect(p.columns.map((c) => [c.name, c.rank, Array.from(c.data as ArrayLike<unknown>)])).toEqual([
      ['n', 1, [3n, 4n]],
      ['s', 2, ['a', 'b']],
    ]);
    expect(() => prepareRows([{ n: 3 }], layout, { ref: 'm@1' })).toThrow('row 0 is missing field "s"');
    expect(() => prepareRows([5 as unknown as number[]], layout, { ref: 'm@1' })).toThrow('row 0 must be an object keyed by field name (n, s), got 5');
  });

  it('refuses rows for a model they cannot feed, and an empty request', () => {
    expect(() => prepareRows([[1]], { kind: 'none', reason: 'input "X" is float32[3,4,5]' }, { ref: 'm@1' })).toThrow(
      'm@1 cannot be fed from rows (input "X" is float32[3,4,5]); send typed tensors to the inference endpoint instead',
    );
    expect(() => prepareRows([], vector(2), { ref: 'm@1' })).toThrow('rows must be a non-empty array');
  });
});
