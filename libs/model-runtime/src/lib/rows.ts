import { LogLensError, type PredictRow } from '@loglens/contracts';
import type { RowLayout } from './signature';
import { allocColumn, show, writeElement, type ColumnData, type FeedableType, type FloatPolicy } from './tensor-types';

/** One input's values for a set of rows, row-major, `perRow` elements per row. */
export interface PreparedColumn {
  name: string;
  type: FeedableType;
  perRow: number;
  /** rank of the tensor fed: 1 → `[N]`, 2 → `[N, perRow]` */
  rank: 1 | 2;
  data: ColumnData;
}

/**
 * A request's rows, validated and converted to typed columns, ready to run alone or concatenated with other
 * requests of the same `shapeKey` (requests whose rows had different widths cannot share a tensor).
 */
export interface PreparedRows {
  readonly rows: readonly PredictRow[];
  readonly count: number;
  readonly columns: readonly PreparedColumn[];
  readonly shapeKey: string;
}

export interface PrepareOptions {
  /** `name@N`, used in error messages */
  ref: string;
  /** feature-vector inputs only: read null/NaN as a missing value (NaN) instead of refusing it */
  allowMissing?: boolean;
}

/** Validates request rows against a row layout; every error names the row and the feature or field at fault. */
export function prepareRows(rows: readonly PredictRow[], layout: RowLayout, options: PrepareOptions): PreparedRows {
  if (!Array.isArray(rows) || rows.length === 0) throw new LogLensError('VALIDATION_FAILED', 'rows must be a non-empty array');
  switch (layout.kind) {
    case 'none':
      throw new LogLensError('VALIDATION_FAILED', `${options.ref} cannot be fed from rows (${layout.reason}); send typed tensors to the inference endpoint instead`);
    case 'vector': {
      checkBatch(rows.length, layout.fixedBatch, options.ref);
      const floats: FloatPolicy = options.allowMissing ? 'nullable' : 'finite';
      const { data, width } = vectorRows(rows, layout.width, layout.featureNames, layout.type, floats, options.ref);
      return { rows, count: rows.length, columns: [{ name: layout.input, type: layout.type, perRow: width, rank: 2, data }], shapeKey: `w${width}` };
    }
    case 'fields': {
      checkBatch(rows.length, layout.fixedBatch, options.ref);
      return { rows, count: rows.length, columns: fieldRows(rows, layout.fields, options.ref), shapeKey: 'fields' };
    }
  }
}

function checkBatch(n: number, fixedBatch: number | null, ref: string): void {
  if (fixedBatch !== null && fixedBatch !== 1 && n % fixedBatch !== 0) {
    throw new LogLensError('VALIDATION_FAILED', `${ref} takes batches of exactly ${fixedBatch} rows (got ${n})`);
  }
}

function vectorRows(
  rows: readonly PredictRow[],
  declaredWidth: number | null,
  featureNames: string[] | null,
  type: FeedableType,
  floats: FloatPolicy,
  modelRef: string,
): { data: ColumnData; width: number } {
  const first = rows[0];
  // without a declared width the first row sets it; the model may still refuse it at run time (a smoke test tells)
  const width = declaredWidth ?? (Array.isArray(first) ? first.length : 0);
  if (width === 0) {
    throw new LogLensError(
      'VALIDATION_FAILED',
      Array.isArray(first) ? 'row 0 is empty' : `${modelRef} has no feature schema, so rows must be arrays of numbers`,
    );
  }
  const out = allocColumn(type, rows.length * width);
  const put = (r: number, c: number, v: unknown, feature: string) => {
    const why = writeElement(out, r * width + c, type, v, floats);
    if (why) throw new LogLensError('VALIDATION_FAILED', `row ${r}, feature ${feature}: ${why}`);
  };
  let known: Set<string> | undefined;
  rows.forEach((row, r) => {
    if (Array.isArray(row)) {
      if (row.length !== width) {
        const why = declaredWidth === null ? `row 0 has ${width}` : `${modelRef} takes ${width} features${featureNames ? ` (${preview(featureNames)})` : ''}`;
        throw new LogLensError('VALIDATION_FAILED', `row ${r} has ${row.length} values but ${why}`);
      }
      row.forEach((v, c) => put(r, c, v, featureNames?.[c] ?? `#${c}`));
      return;
    }
    if (typeof row !== 'object' || row === null) {
      throw new LogLensError('VALIDATION_FAILED', `row ${r} must be an array of numbers or an object keyed by feature name`);
    }
    if (!featureNames) {
      throw new LogLensError(
        'VALIDATION_FAILED',
        `${modelRef} has no feature schema, so rows must be arrays of ${declaredWidth === null ? '' : `${width} `}numbers`,
      );
    }
    // one set per request, made at the first object row (array rows, the common case, need none)
    const names = (known ??= new Set(featureNames));
    const unknown = Object.keys(row).filter((k) => !names.has(k));
    if (unknown.length) throw new LogLensError('VALIDATION_FAILED', `row ${r} has unknown feature(s) ${unknown.join(', ')} for ${modelRef}`);
    featureNames.forEach((name, c) => {
      if (!Object.prototype.hasOwnProperty.call(row, name)) throw new LogLensError('VALIDATION_FAILED', `row ${r} is missing feature "${name}"`);
      put(r, c, row[name], name);
    });
  });
  return { data: out, width };
}

function fieldRows(rows: readonly PredictRow[], fields: readonly { name: string; type: FeedableType; rank: 1 | 2 }[], modelRef: string): PreparedColumn[] {
  const columns = fields.map((f) => ({ name: f.name, type: f.type, perRow: 1, rank: f.rank, data: allocColumn(f.type, rows.length) }));
  const names = fields.map((f) => f.name);
  const known = new Set(names);
  const put = (r: number, c: number, v: unknown) => {
    // float fields take null as "missing": the pipelines that have them impute (sklearn's SimpleImputer reads NaN)
    const why = writeElement(columns[c].data, r, columns[c].type, v, 'nullable');
    if (why) throw new LogLensError('VALIDATION_FAILED', `row ${r}, field ${names[c]}: ${why}`);
  };
  rows.forEach((row, r) => {
    if (Array.isArray(row)) {
      if (row.length !== fields.length) {
        throw new LogLensError('VALIDATION_FAILED', `row ${r} has ${row.length} values but ${modelRef} takes ${fields.length} fields (${preview(names)})`);
      }
      row.forEach((v, c) => put(r, c, v));
      return;
    }
    if (typeof row !== 'object' || row === null) {
      throw new LogLensError('VALIDATION_FAILED', `row ${r} must be an object keyed by field name (${preview(names)}), got ${show(row)}`);
    }
    const unknown = Object.keys(row).filter((k) => !known.has(k));
    if (unknown.length) {
      throw new LogLensError('VALIDATION_FAILED', `row ${r} has unknown field(s) ${unknown.join(', ')} for ${modelRef} (fields: ${preview(names)})`);
    }
    names.forEach((name, c) => {
      if (!Object.prototype.hasOwnProperty.call(row, name)) throw new LogLensError('VALIDATION_FAILED', `row ${r} is missing field "${name}"`);
      put(r, c, row[name]);
    });
  });
  return columns;
}

/**
 * Turns request rows (arrays in schema order, or objects keyed by feature name) into one flat row-major
 * matrix, refusing anything that is not a finite number with an error that names the row and the feature.
 */
export function rowsToMatrix(rows: PredictRow[], width: number, featureNames: string[] | null, modelRef: string): Float64Array {
  return vectorRows(rows, width, featureNames, 'float64', 'finite', modelRef).data as Float64Array;
}

function preview(names: string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, …`;
}
