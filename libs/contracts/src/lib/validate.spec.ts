import { validateMessage } from './validate';
import { PredictRequest } from './inference.messages';
import { DeployVersionRequest } from './registry.messages';
import { LogLensError } from './errors';

function errorOf(fn: () => unknown): LogLensError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LogLensError) return e;
    throw e;
  }
  throw new Error('expected a LogLensError');
}

describe('validateMessage', () => {
  it('accepts a well-formed message and returns an instance of its class', () => {
    const msg = validateMessage(PredictRequest, { model: 'demo', rows: [[1, 2, 3]] });
    expect(msg).toBeInstanceOf(PredictRequest);
    expect(msg.rows).toEqual([[1, 2, 3]]);
  });

  it('names every bad field in one VALIDATION_FAILED error', () => {
    const err = errorOf(() => validateMessage(DeployVersionRequest, { ref: 'Bad Ref', actor: 42 }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details?.some((d) => d.startsWith('ref'))).toBe(true);
    expect(err.details?.some((d) => d.startsWith('actor'))).toBe(true);
  });

  it('refuses unknown fields so typos are not silently ignored', () => {
    const err = errorOf(() => validateMessage(PredictRequest, { row: [[1]], rows: [[1]] }));
    expect(err.message).toMatch(/row/);
  });

  it('refuses non-objects', () => {
    expect(errorOf(() => validateMessage(PredictRequest, [1, 2])).code).toBe('VALIDATION_FAILED');
    expect(errorOf(() => validateMessage(PredictRequest, null)).code).toBe('VALIDATION_FAILED');
  });

  it('refuses an empty rows array', () => {
    expect(errorOf(() => validateMessage(PredictRequest, { rows: [] })).message).toMatch(/at least one row/);
  });
});
