import { LogLensError, type PredictRow } from '@loglens/contracts';

/**
 * Turns request rows (arrays in schema order, or objects keyed by feature name) into one flat row-major
 * matrix, refusing anything that is not a finite number with an error that names the row and the feature.
 */
export function rowsToMatrix(rows: PredictRow[], width: number, featureNames: string[] | null, modelRef: string): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((row, r) => {
    if (Array.isArray(row)) {
      if (row.length !== width) {
        throw new LogLensError('VALIDATION_FAILED', `row ${r} has ${row.length} values but ${modelRef} takes ${width} features${featureNames ? ` (${preview(featureNames)})` : ''}`);
      }
      row.forEach((v, c) => (out[r * width + c] = finite(v, r, featureNames?.[c] ?? `#${c}`)));
      return;
    }
    if (typeof row !== 'object' || row === null) {
      throw new LogLensError('VALIDATION_FAILED', `row ${r} must be an array of numbers or an object keyed by feature name`);
    }
    if (!featureNames) {
      throw new LogLensError('VALIDATION_FAILED', `${modelRef} has no feature schema, so rows must be arrays of ${width} numbers`);
    }
    const known = new Set(featureNames);
    const unknown = Object.keys(row).filter((k) => !known.has(k));
    if (unknown.length) throw new LogLensError('VALIDATION_FAILED', `row ${r} has unknown feature(s) ${unknown.join(', ')} for ${modelRef}`);
    featureNames.forEach((name, c) => {
      if (!(name in row)) throw new LogLensError('VALIDATION_FAILED', `row ${r} is missing feature "${name}"`);
      out[r * width + c] = finite(row[name], r, name);
    });
  });
  return out;
}

function finite(v: unknown, row: number, feature: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new LogLensError('VALIDATION_FAILED', `row ${row}, feature ${feature}: expected a finite number, got ${JSON.stringify(v) ?? String(v)}`);
  }
  return v;
}

function preview(names: string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, …`;
}
