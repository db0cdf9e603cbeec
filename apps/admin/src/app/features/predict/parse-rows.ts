import type { ModelVersionDto, PredictRow } from '@loglens/contracts';

import { PREDICT_MAX_ROWS } from '@loglens/contracts/protocol';

/** Rows one predict request may carry (the contract's limit, checked again by the gateway). */
export const MAX_PREDICT_ROWS = PREDICT_MAX_ROWS;

export type ParsedRows = { ok: true; rows: PredictRow[] } | { ok: false; error: string };

type FieldValue = number | string | boolean | null;

function isFieldValue(v: unknown): v is FieldValue {
  return (
    v === null ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v))
  );
}

/** A row keyed by feature or input name: numbers, strings (string inputs), booleans, null (a missing value). */
function isFieldRecord(value: unknown): value is Record<string, FieldValue> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.values(value).every(isFieldValue)
  );
}

function isNumberArray(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/**
 * Checks pasted JSON before it is sent, so a typo gets a precise message instead of a round trip. A row is an array
 * of numbers in feature order, or an object keyed by feature/input name (e.g. the titanic pipeline's
 * `{"pclass": 1, "sex": "female", "age": 29, "embarked": "S"}`). Accepts a list of rows, or one row on its own.
 */
export function parseRows(text: string): ParsedRows {
  if (!text.trim()) return { ok: false, error: 'Paste at least one row.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (isFieldRecord(value) || isNumberArray(value)) value = [value];
  if (!Array.isArray(value)) return { ok: false, error: 'Expected a JSON array of rows.' };
  if (value.length === 0) return { ok: false, error: 'Paste at least one row.' };
  if (value.length > MAX_PREDICT_ROWS) {
    return { ok: false, error: `At most ${MAX_PREDICT_ROWS} rows per request; got ${value.length}.` };
  }
  for (const [i, row] of value.entries()) {
    if (!isNumberArray(row) && !isFieldRecord(row)) {
      return {
        ok: false,
        error:
          `Row ${i + 1} must be a non-empty array of numbers, or an object of name → number, string, ` +
          'true/false or null.',
      };
    }
  }
  return { ok: true, rows: value as PredictRow[] };
}

function exampleValue(elemType: string | null): FieldValue {
  switch (elemType) {
    case 'string':
      return '';
    case 'bool':
      return false;
    default:
      return 0;
  }
}

/**
 * One row of placeholder values in the shape the version takes: zeros in feature order when it has a feature
 * schema; an object keyed by input name when the graph has several inputs (sklearn pipelines); otherwise as many
 * zeros as the input's last dimension says (a guess when that dimension is symbolic).
 */
export function exampleRow(
  v: Pick<ModelVersionDto, 'featureSchema' | 'signature' | 'inputName'>,
): PredictRow {
  const features = v.featureSchema?.features ?? [];
  if (features.length) return features.map(() => 0);
  const inputs = v.signature.inputs;
  if (inputs.length > 1) return Object.fromEntries(inputs.map((i) => [i.name, exampleValue(i.elemType)]));
  const input = inputs.find((i) => i.name === v.inputName) ?? inputs[0];
  const last = input?.shape?.[input.shape.length - 1];
  return Array.from({ length: typeof last === 'number' && last > 0 ? last : 1 }, () => 0);
}
