import * as ort from 'onnxruntime-node';
import { LogLensError } from '@loglens/contracts';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { OnnxModelSession, scoresOf } from './onnx-session';

const names = ['a', 'b', 'c'];
const bytes = writeLogisticRegressionModel({ featureNames: names, mean: [1, 0, 0], scale: [2, 1, 1], weights: [0.5, -1, 2], bias: 0.1 });
const binding = { ref: 'm@1', inputName: 'features', scoreOutput: 'score', featureNames: names };

describe('OnnxModelSession', () => {
  let session: OnnxModelSession;
  beforeAll(async () => {
    session = await OnnxModelSession.create(bytes, binding);
  });
  afterAll(() => session.release());

  it('scores rows exactly as a plain onnxruntime session does', async () => {
    const rows = [
      [1, 2, 3],
      [0, 0, 0],
    ];
    const plain = await ort.InferenceSession.create(bytes);
    const expected = (await plain.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [2, 3]) }))['score'].data;
    await plain.release();
    const { scores, outputs } = await session.predict(rows);
    expect(scores).toEqual(Array.from(expected as Float32Array));
    expect(outputs['score'].dims).toEqual([2, 1]);
  });

  it('reads the width from the input shape', () => {
    expect(session.width).toBe(3);
    expect(session.fixedBatch).toBeNull();
  });

  it('refuses a session on an input the model does not have', async () => {
    await expect(OnnxModelSession.create(bytes, { ...binding, inputName: 'nope' })).rejects.toThrow(LogLensError);
  });

  it('refuses to run once released', async () => {
    const s = await OnnxModelSession.create(bytes, binding);
    await s.release();
    await expect(s.predict([[1, 2, 3]])).rejects.toThrow(/unloaded/);
  });
});

describe('scoresOf', () => {
  it('reads [N,1] as the score and [N,2] as class probabilities', () => {
    expect(scoresOf({ dims: [2, 1], data: [0.1, 0.9] }, 2)).toEqual([0.1, 0.9]);
    expect(scoresOf({ dims: [2, 2], data: [0.7, 0.3, 0.2, 0.8] }, 2)).toEqual([0.3, 0.8]);
  });
});
