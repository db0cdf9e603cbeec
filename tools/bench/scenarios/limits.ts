// The limits in this process: onnxruntime-node back to back on one session (batch 1 and 64, both models), and LogLens'
// PredictBatcher without a transport.
import { HEAVY_FEATURES, SMALL_FEATURES, heavyModel, smallModel } from '../lib/bench-models';
import { inProcessBatcher, ortLimit } from '../lib/cells';
import type { Scenario } from '../lib/context';
import { fmt, type CellResult, type Row } from '../lib/measure';

/** rows per run of the batched in-process limit */
const BATCH = 64;

export const limits: Scenario = async ({ log }) => {
  const small = smallModel(-0.5);
  const heavy = heavyModel();
  log('in-process onnxruntime-node');
  const rows: Row[] = [];
  let mlp: { one: CellResult; batch: CellResult } | undefined;
  for (const [model, bytes, width] of [
    ['small', small, SMALL_FEATURES],
    ['MLP', heavy, HEAVY_FEATURES],
  ] as const) {
    const one = await ortLimit(bytes, width, 1);
    const batch = await ortLimit(bytes, width, BATCH);
    if (model === 'MLP') mlp = { one, batch };
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
        batching: `batch ${BATCH}`,
        c: 1,
        r: batch,
        rowsPerRequest: BATCH,
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
  // what one onnxruntime run of 64 rows gains over 64 runs of one on this CPU, with no LogLens code in the way: the
  // most the MLP batching ratio of the nats-predict scenario can show from batching alone (it can show more at c=64,
  // where batching off also queues)
  if (!mlp) throw new Error('no in-process MLP limit measured');
  const batchedRows = mlp.batch.rps * BATCH;
  const ceiling = batchedRows / mlp.one.rps;
  return {
    rows,
    goals: [
      {
        rank: 2.5,
        line:
          `- In-process MLP, batch 64 against batch 1 (this CPU's own gain from batching, no LogLens code): ` +
          `**${ceiling.toFixed(2)}×** the rows/s (${fmt(batchedRows)} against ${fmt(mlp.one.rps)}); ` +
          `read the MLP batching ratio above against it.`,
      },
    ],
  };
};
