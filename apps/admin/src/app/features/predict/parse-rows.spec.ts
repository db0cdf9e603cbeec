import type { ModelVersionDto } from '@loglens/contracts';
import { MAX_PREDICT_ROWS, exampleRow, parseRows } from './parse-rows';

describe('parseRows', () => {
  it('accepts arrays of numbers and objects keyed by feature name', () => {
    expect(parseRows('[[1, 2.5], {"a": 1, "b": 0}]')).toEqual({ ok: true, rows: [[1, 2.5], { a: 1, b: 0 }] });
  });

  it('accepts named rows with strings, booleans and nulls for multi-input pipelines', () => {
    const titanic =
      '{"pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S", "alone": false, "deck": null}';
    expect(parseRows(titanic)).toEqual({
      ok: true,
      rows: [{ pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S', alone: false, deck: null }],
    });
  });

  it('wraps a single row', () => {
    expect(parseRows('[1, 2, 3]')).toEqual({ ok: true, rows: [[1, 2, 3]] });
    expect(parseRows('{"f": 4}')).toEqual({ ok: true, rows: [{ f: 4 }] });
  });

  it('names the first bad row instead of sending it', () => {
    expect(parseRows('[[1, 2], [1, "x"]]')).toEqual({ ok: false, error: expect.stringContaining('Row 2') });
    expect(parseRows('[{"a": [1]}]')).toEqual({ ok: false, error: expect.stringContaining('Row 1') });
    expect(parseRows('[{}]')).toEqual({ ok: false, error: expect.stringContaining('Row 1') });
  });

  it('refuses invalid JSON, empty input and too many rows', () => {
    expect(parseRows('[[1,')).toMatchObject({ ok: false, error: expect.stringContaining('Not valid JSON') });
    expect(parseRows('  ')).toMatchObject({ ok: false });
    expect(parseRows('[]')).toMatchObject({ ok: false });
    const tooMany = JSON.stringify(Array.from({ length: MAX_PREDICT_ROWS + 1 }, () => [0]));
    expect(parseRows(tooMany)).toMatchObject({ ok: false, error: expect.stringContaining('At most') });
  });
});

describe('exampleRow', () => {
  const base = { featureSchema: null, inputName: 'X' } as const;

  it('follows the feature schema when there is one', () => {
    const v = {
      ...base,
      featureSchema: {
        version: 'v1',
        features: [
          { name: 'a', dtype: 'float32' as const },
          { name: 'b', dtype: 'float32' as const },
        ],
      },
      signature: { inputs: [], outputs: [] },
    };
    expect(exampleRow(v)).toEqual([0, 0]);
  });

  it('keys a multi-input pipeline row by input name with a value of each input type', () => {
    const signature: ModelVersionDto['signature'] = {
      inputs: [
        { name: 'pclass', kind: 'tensor', elemType: 'int64', shape: [null, 1] },
        { name: 'sex', kind: 'tensor', elemType: 'string', shape: [null, 1] },
      ],
      outputs: [],
    };
    expect(exampleRow({ ...base, signature })).toEqual({ pclass: 0, sex: '' });
  });

  it('uses the fixed feature dimension of a single input', () => {
    const signature: ModelVersionDto['signature'] = {
      inputs: [{ name: 'X', kind: 'tensor', elemType: 'float32', shape: ['N', 4] }],
      outputs: [],
    };
    expect(exampleRow({ ...base, signature })).toEqual([0, 0, 0, 0]);
  });
});
