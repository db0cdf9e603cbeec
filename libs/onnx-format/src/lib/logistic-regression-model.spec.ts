import * as ort from 'onnxruntime-node';
import { LogisticRegressionModelParams, writeLogisticRegressionModel } from './logistic-regression-model';

const params: LogisticRegressionModelParams = {
  featureNames: ['a', 'b'],
  mean: [1, 2],
  scale: [2, 4],
  weights: [1, -1],
  bias: 0.5,
};

describe('writeLogisticRegressionModel', () => {
  it('scores sigmoid(((x - mean) / scale) · w + b) in onnxruntime-node', async () => {
    const session = await ort.InferenceSession.create(writeLogisticRegressionModel(params));
    try {
      expect(session.inputNames).toEqual(['features']);
      expect(session.outputNames).toEqual(['score']);
      const x = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 2, 1, 10]), [3, 2]);
      const { score } = await session.run({ features: x });
      expect(score.dims).toEqual([3, 1]);
      // logits by hand: 0 + 0.5, 1 + 0.5, -2 + 0.5
      const expected = [0.5, 1.5, -1.5].map((z) => 1 / (1 + Math.exp(-z)));
      Array.from(score.data as Float32Array).forEach((s, i) => expect(s).toBeCloseTo(expected[i], 6));
    } finally {
      await session.release();
    }
  });

  it('rejects parameters whose lengths disagree with the feature names', () => {
    expect(() => writeLogisticRegressionModel({ ...params, weights: [1] })).toThrow(
      'weights has 1 values for 2 features',
    );
  });

  it('rejects a zero scale, which would divide by zero in the graph', () => {
    expect(() => writeLogisticRegressionModel({ ...params, scale: [1, 0] })).toThrow(
      /scale must not contain zeros/,
    );
  });

  it('rejects non-finite parameters', () => {
    expect(() => writeLogisticRegressionModel({ ...params, mean: [NaN, 0] })).toThrow(
      'mean contains a non-finite value',
    );
    expect(() => writeLogisticRegressionModel({ ...params, bias: Infinity })).toThrow('bias must be finite');
  });
});
