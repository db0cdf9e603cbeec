import { LogLensError } from './errors';
import { rowKeysProblem, type PredictRequest } from './inference.messages';
import { PREDICT_MAX_ROWS } from './limits';
import { MODEL_NAME_PATTERN, VERSION_REF_PATTERN } from './version-ref';

/** The refusal of a PredictRequest, worded as validateMessage words the class's (`invalid PredictRequest: …`). */
function refuse(details: string[]): LogLensError {
  return new LogLensError('VALIDATION_FAILED', `invalid PredictRequest: ${details.join('; ')}`, details);
}

/**
 * The PredictRequest contract checked by hand, for the predict hot paths in the worker and the gateway, at a fraction
 * of class-validator's cost: the same verdicts as the class (a spec compares them on every kind of sample; like
 * `@IsOptional`, null counts as absent) and one message per bad field in the same `field: …` form, where
 * class-validator may list several constraints of one field.
 */
export function checkPredictRequest(data: unknown): PredictRequest {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new LogLensError('VALIDATION_FAILED', 'PredictRequest: expected a JSON object');
  const { model, version, rows, timeoutMs, routeKey, rowKeys, explain, explainTop, profiled } = data as Record<string, unknown>;
  let errors: string[] | undefined;
  const bad = (message: string) => (errors ??= []).push(message);
  for (const key in data) {
    if (key !== 'model' && key !== 'version' && key !== 'rows' && key !== 'timeoutMs' && key !== 'routeKey' && key !== 'rowKeys' && key !== 'explain' && key !== 'explainTop' && key !== 'profiled') bad(`${key}: property ${key} should not exist`);
  }
  if (model != null && (typeof model !== 'string' || !MODEL_NAME_PATTERN.test(model))) bad('model must be a model name');
  if (version != null && (typeof version !== 'string' || !VERSION_REF_PATTERN.test(version))) bad('version must look like name@<number>, name@latest or name@<alias>');
  if (!Array.isArray(rows)) bad('rows must be an array');
  else if (rows.length === 0) bad('rows must contain at least one row');
  else if (rows.length > PREDICT_MAX_ROWS) bad(`rows must contain at most ${PREDICT_MAX_ROWS} rows`);
  if (timeoutMs != null && (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 10 || timeoutMs > 120_000)) {
    bad('timeoutMs must be an integer between 10 and 120000');
  }
  if (routeKey != null && (typeof routeKey !== 'string' || routeKey.length > 256)) bad('routeKey must be a string of at most 256 characters');
  if (rowKeys != null) {
    const problem = rowKeysProblem(rowKeys, rows);
    if (problem) bad(problem);
  }
  if (explain != null && typeof explain !== 'boolean') bad('explain must be a boolean value');
  if (explainTop != null && (typeof explainTop !== 'number' || !Number.isInteger(explainTop) || explainTop < 1)) bad('explainTop must be an integer of at least 1');
  if (profiled != null && typeof profiled !== 'boolean') bad('profiled must be a boolean value');
  if (errors) throw refuse(errors);
  return data as PredictRequest;
}
