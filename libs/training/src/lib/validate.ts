/** Checks X is a non-empty rectangular matrix of finite numbers and returns its column count. */
export function checkMatrix(X: readonly (readonly number[])[]): number {
  if (X.length === 0) throw new RangeError('X has no rows');
  const f = X[0].length;
  if (f === 0) throw new RangeError('X has no columns');
  X.forEach((row, i) => {
    if (row.length !== f) throw new RangeError(`row ${i} has ${row.length} values, row 0 has ${f}`);
    if (!row.every(Number.isFinite)) throw new RangeError(`row ${i} contains a non-finite value`);
  });
  return f;
}

/** Checks labels are 0/1 and as many as the rows they describe. */
export function checkLabels(y: readonly number[], rows: number): void {
  if (y.length !== rows) throw new RangeError(`${y.length} labels for ${rows} rows`);
  const bad = y.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) throw new RangeError(`label ${bad} is ${y[bad]}; binary labels must be 0 or 1`);
}
