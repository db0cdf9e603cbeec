// The limits in this process: onnxruntime-node back to back on one session (batch 1 and 64, both models), and LogLens'
// PredictBatcher without a transport.
import { HEAVY_FEATURES, SMALL_FEATURES, heavyModel, smallModel } from '../lib/bench-models';
import { inProcessBatcher, ortLimit } from '../lib/cells';
import type { Scenario } from '../lib/context';
import type { Row } from '../lib/measure';

export const limits: Scenario = async ({ log }) => {
  const small = smallModel(-0.5);
  const heavy = heavyModel();
  log('in-process onnxruntime-node');
  const rows: Row[] = [];
  for (const [model, bytes, width] of [
    ['small', small, SMALL_FEATURES],
    ['MLP', heavy, HEAVY_FEATURES],
  ] as const) {
    const one = await ortLimit(bytes, width, 1);
    const batch = await ortLimit(bytes, width, 64);
    rows.push(
      {
        scenario: 'limit: onnxruntime-node in-process',
        model,
        batching: 'batch 1',
        c: 1,
        r: one,
        note: 'requests = runs',
      },
      {
        scenario: 'limit: onnxruntime-node in-process',
        model,
        batching: 'batch 64',
        c: 1,
        r: batch,
        rowsPerRequest: 64,
        note: 'requests = runs',
      },
    );
  }
  const inProc = await inProcessBatcher(small, SMALL_FEATURES, 64, 256);
  rows.push({
    scenario: 'in-process LogLens PredictBatcher (no transport)',
    model: 'small',
    batching: 'on',
    c: 64,
    r: inProc,
    note: 'prepare + batch + run + split, 1 row per request',
  });
  return { rows };
};
