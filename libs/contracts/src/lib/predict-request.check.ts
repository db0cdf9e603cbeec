import { LogLensError } from './errors';
import { PREDICT_MAX_ROWS, type PredictRequest } from './inference.messages';
import { MODEL_NAME_PATTERN, VERSION_REF_PATTERN } from './version-ref';

/**
 * The PredictRequest contract checked by hand: the same verdicts as its decorators (a spec compares them on every
 * kind of sample) and the same messages, at a fraction of class-validator's cost, for the predict hot paths in the
 * worker and the gateway.
 */
export function checkPredictRequest(data: unknown): PredictRequest {
  const fail = (details: string[]) => new LogLensError('VALIDATION_FAILED', `invalid PredictRequest: ${details.join('; ')}`, details);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new LogLensError('VALIDATION_FAILED', 'PredictRequest: expected a JSON object');
  const { model, version, rows, timeoutMs, ...rest } = data as Record<string, unknown>;
  const errors: string[] = Object.keys(rest).map((k) => `property ${k} should not exist`);
  if (model !== undefined && (typeof model !== 'string' || !MODEL_NAME_PATTERN.test(model))) errors.push('model: model must be a model name');
  if (version !== undefined && (typeof version !== 'string' || !VERSION_REF_PATTERN.test(version))) {
    errors.push('version: version must look like name@<number>, name@latest or name@<alias>');
  }
  if (!Array.isArray(rows)) errors.push('rows: rows must be an array');
  else if (rows.length === 0) errors.push('rows: rows must contain at least one row');
  else if (rows.length > PREDICT_MAX_ROWS) errors.push(`rows: rows must contain at most ${PREDICT_MAX_ROWS} rows`);
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 10 || timeoutMs > 120_000)) {
    errors.push('timeoutMs: timeoutMs must be an integer between 10 and 120000');
  }
  if (errors.length) throw fail(errors);
  return data as PredictRequest;
}
