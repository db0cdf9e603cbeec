import { MAX_PREDICT_ROWS, parseRows } from './parse-rows';

describe('parseRows', () => {
  it('accepts arrays of numbers and objects keyed by feature name', () => {
    expect(parseRows('[[1, 2.5], {"a": 1, "b": 0}]')).toEqual({ ok: true, rows: [[1, 2.5], { a: 1, b: 0 }] });
  });

  it('wraps a single row', () => {
    expect(parseRows('[1, 2, 3]')).toEqual({ ok: true, rows: [[1, 2, 3]] });
    expect(parseRows('{"f": 4}')).toEqual({ ok: true, rows: [{ f: 4 }] });
  });

  it('names the first bad row instead of sending it', () => {
    const parsed = parseRows('[[1, 2], [1, "x"]]');
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining('Row 2') });
  });

  it('refuses invalid JSON, empty input and too many rows', () => {
    expect(parseRows('[[1,')).toMatchObject({ ok: false, error: expect.stringContaining('Not valid JSON') });
    expect(parseRows('  ')).toMatchObject({ ok: false });
    expect(parseRows('[]')).toMatchObject({ ok: false });
    const tooMany = JSON.stringify(Array.from({ length: MAX_PREDICT_ROWS + 1 }, () => [0]));
    expect(parseRows(tooMany)).toMatchObject({ ok: false, error: expect.stringContaining('At most') });
  });
});
