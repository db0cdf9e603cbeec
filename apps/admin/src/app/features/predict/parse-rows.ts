import type { PredictRow } from '@loglens/contracts';

/** Mirrors PREDICT_MAX_ROWS in @loglens/contracts (a value import would bundle class-validator). */
export const MAX_PREDICT_ROWS = 10_000;

export type ParsedRows = { ok: true; rows: PredictRow[] } | { ok: false; error: string };

function isNumberRecord(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/**
 * Checks pasted JSON before it is sent, so a typo gets a precise message instead of a round trip. Accepts a list
 * of rows, or one row on its own (`[1, 2, 3]` or `{"f": 1}`) for convenience.
 */
export function parseRows(text: string): ParsedRows {
  if (!text.trim()) return { ok: false, error: 'Paste at least one row.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (isNumberRecord(value)) value = [value];
  else if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number'))
    value = [value];
  if (!Array.isArray(value)) return { ok: false, error: 'Expected a JSON array of rows.' };
  if (value.length === 0) return { ok: false, error: 'Paste at least one row.' };
  if (value.length > MAX_PREDICT_ROWS) {
    return { ok: false, error: `At most ${MAX_PREDICT_ROWS} rows per request; got ${value.length}.` };
  }
  for (const [i, row] of value.entries()) {
    const isArrayRow =
      Array.isArray(row) && row.length > 0 && row.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!isArrayRow && !isNumberRecord(row)) {
      return {
        ok: false,
        error: `Row ${i + 1} must be a non-empty array of numbers or an object of feature name → number.`,
      };
    }
  }
  return { ok: true, rows: value as PredictRow[] };
}
