import { LogLensError } from './errors';
import { PredictRequest } from './inference.messages';
import { checkPredictRequest } from './predict-request.check';
import { validateMessage } from './validate';

/** The hand-written check must accept and refuse exactly what the contract class does. */
describe('checkPredictRequest', () => {
  const samples: unknown[] = [
    { model: 'm', rows: [[1, 2]] },
    { version: 'm@2', rows: [{ a: 1 }], timeoutMs: 500 },
    { rows: [] },
    { rows: 'x' },
    { model: 'Bad Name', rows: [[1]] },
    { version: 'm@', rows: [[1]] },
    { rows: [[1]], timeoutMs: 5 },
    { rows: [[1]], extra: 1 },
    {},
    [1],
    null,
    { rows: Array.from({ length: 10_001 }, () => [1]) },
    // like @IsOptional, null is absent
    { model: null, version: 'm@1', rows: [[1]] },
    { rows: [[1]], timeoutMs: null },
    { model: 'm', version: null, rows: [[1]] },
    { rows: null },
    { model: 'm', rows: [[1]], explain: true },
    { model: 'm', rows: [[1]], explain: false },
    { model: 'm', rows: [[1]], explain: 'yes' },
    { model: 'm', rows: [[1]], explain: null },
    { model: 'm', rows: [[1]], explain: true, explainTop: 5 },
    { model: 'm', rows: [[1]], explainTop: 1 },
    { model: 'm', rows: [[1]], explain: true, explainTop: 0 },
    { model: 'm', rows: [[1]], explain: true, explainTop: 2.5 },
    { model: 'm', rows: [[1]], explain: true, explainTop: '5' },
    { model: 'm', rows: [[1]], explain: true, explainTop: null },
    { model: 'm', rows: [[1]], profiled: true },
    { model: 'm', rows: [[1]], profiled: false },
    { model: 'm', rows: [[1]], profiled: 'no' },
    { model: 'm', rows: [[1]], profiled: null },
    { model: 'm', rows: [[1], [2]], rowKeys: [{ source: 'a', window: 'ap-1' }, { window: 'ap-2' }] },
    { model: 'm', rows: [[1]], rowKeys: [{}] },
    { model: 'm', rows: [[1]], rowKeys: null },
    { model: 'm', rows: [[1], [2]], rowKeys: [{ source: 'a' }] },
    { model: 'm', rows: [[1]], rowKeys: 'a' },
    { model: 'm', rows: [[1]], rowKeys: ['a'] },
    { model: 'm', rows: [[1]], rowKeys: [{ source: 7 }] },
    { model: 'm', rows: [[1]], rowKeys: [{ source: 'x'.repeat(257) }] },
    { model: 'm', rows: [[1]], rowKeys: [{ host: 'h' }] },
  ];

  it.each(samples.map((s, i) => [i, s]))('sample %i gets the same verdict as the contract class', (_i, sample) => {
    const verdict = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (e) {
        return e instanceof LogLensError ? e.code : 'other';
      }
    };
    expect(verdict(() => checkPredictRequest(sample))).toBe(verdict(() => validateMessage(PredictRequest, sample)));
  });

  it('names the field at fault', () => {
    expect(() => checkPredictRequest({ rows: [] })).toThrow(/rows must contain at least one row/);
  });

  it.each([{ rows: [] }, { rows: [[1]], explain: 1 }, { rows: [[1]], extra: 1 }, { model: 'Bad Name', rows: [[1]] }, { version: 'm@', rows: [[1]] }])(
    'words a one-constraint refusal exactly as the class does: %j',
    (sample) => {
      const message = (fn: () => unknown) => {
        try {
          fn();
          return 'ok';
        } catch (e) {
          return (e as Error).message;
        }
      };
      expect(message(() => checkPredictRequest(sample))).toBe(message(() => validateMessage(PredictRequest, sample)));
    },
  );
});
