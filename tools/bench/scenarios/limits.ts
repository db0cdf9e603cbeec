// The limits in this process: onnxruntime-node back to back on one session (batch 1 and 64, both models), and LogLens'
// PredictBatcher without a transport.
import { HEAVY_FEATURES, SMALL_FEATURES, heavyModel, smallModel } from '../lib/bench-models';
import { inProcessBatcher, ortLimit } from '../lib/cells';
import type { Scenario } from '../lib/context';
import { fmt, type Row } from '../lib/measure';

export const limits: Scenario = async ({ log }) => {
  const small = smallModel(-0.5);
  const heavy = heavyModel();
  log('in-process onnxruntime-node');
  const rows: Row[] = [];
  const rowsPerSecond: Record<string, { one: number; batch: number }> = {};
  for (const [model, bytes, width] of [
    ['small', small, SMALL_FEATURES],
    ['MLP', heavy, HEAVY_FEATURES],
  ] as const) {
    const one = await ortLimit(bytes, width, 1);
    const batch = await ortLimit(bytes, width, 64);
    rowsPerSecond[model] = { one: one.rps, batch: batch.rps * 64 };
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
  // what one onnxruntime run of 64 rows gains over 64 runs of one on this CPU, with no LogLens code in the way: the
  // most the MLP batching ratio of the nats-predict scenario can show from batching alone (it can show more at c=64, where batching off
  // also queues)
  const mlp = rowsPerSecond['MLP'];
  const ceiling = mlp.batch / mlp.one;
  return {
    rows,
    goals: [
      {
        rank: 2.5,
        line:
          `- In-process MLP, batch 64 against batch 1 (this CPU's own gain from batching, no LogLens code): ` +
          `**${ceiling.toFixed(2)}×** the rows/s (${fmt(mlp.batch)} against ${fmt(mlp.one)}); ` +
          `read the MLP batching ratio above against it.`,
      },
    ],
  };
};
