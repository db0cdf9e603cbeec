import { analyzeRecords, CHECK_EVERY } from './analyze';
import { BasePipeline } from './pipelines/base-pipeline';

const unscored = { score: async (rows: number[][]) => rows.map(() => ({ score: null, isAnomaly: false, threshold: null, modelVersion: null, topFeatures: [] })) };
const lines = (n: number) => Array.from({ length: n }, (_, i) => `2026-12-01T10:00:${String(i % 60).padStart(2, '0')}Z host${i % 7} service started worker ${i}`);

describe('analyzeRecords cancellation', () => {
  it('stops at its next checkpoint once the signal is aborted, with CANCELLED, having parsed only part of the records', async () => {
    const abort = new AbortController();
    let parsed = 0;
    const factory = (_source: string, state: unknown) => {
      const p = new BasePipeline(null, state);
      const add = p.add.bind(p);
      p.add = (...args: Parameters<typeof add>) => {
        // the caller goes away while the first chunk is being parsed
        if (++parsed === 10) abort.abort();
        return add(...args);
      };
      return p;
    };
    const records = lines(CHECK_EVERY * 8);
    await expect(analyzeRecords(records, factory, unscored, { kind: 'base', source: 's', signal: abort.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(parsed).toBe(CHECK_EVERY);
  });

  it('finishes as before when the signal is never aborted', async () => {
    const reply = await analyzeRecords(lines(CHECK_EVERY * 2 + 3), (_s, state) => new BasePipeline(null, state), unscored, { kind: 'base', source: 's', signal: new AbortController().signal });
    expect(reply.records).toHaveLength(CHECK_EVERY * 2 + 3);
    expect(reply.windows.length).toBeGreaterThan(0);
  });
});
