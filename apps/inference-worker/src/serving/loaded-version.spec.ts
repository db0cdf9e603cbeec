import type { ServingVersionDto } from '@loglens/contracts';
import { OnnxModelSession } from '@loglens/model-runtime';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { LoadedVersion } from './loaded-version';

const bytes = writeLogisticRegressionModel({ featureNames: ['a', 'b'], mean: [0, 0], scale: [1, 1], weights: [1, -1], bias: 0 });
const binding = { ref: 'm@1', inputName: 'features', scoreOutput: 'score', featureNames: ['a', 'b'] };
const batching = { maxBatchSize: 64, maxQueueDelayMs: 0, maxQueueSize: 100 };

describe('LoadedVersion', () => {
  it('releases its session only after in-flight requests finish', async () => {
    const session = await OnnxModelSession.create(bytes, binding);
    const v = new LoadedVersion({ ref: 'm@1' } as ServingVersionDto, session, batching);
    const events: string[] = [];
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const inFlight = v.use(async (lv) => {
      await gate;
      const r = await lv.batcher.predict([[1, 2]]);
      events.push(`scored ${r.result.scores.length}`);
    });
    const retired = v.retire().then(() => events.push('released'));
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
    finish();
    await Promise.all([inFlight, retired]);
    expect(events).toEqual(['scored 1', 'released']);
  });
});
