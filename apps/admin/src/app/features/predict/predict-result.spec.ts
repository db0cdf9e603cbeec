import type { ModelVersionDto, PredictReply } from '@loglens/contracts';
import { expectsOf, outputsOfRow, resultRows } from './predict-result';

const tensor = (dims: number[], data: Array<number | string | null>) =>
  ({ dims, data }) as unknown as PredictReply['outputs'][string];

describe('outputsOfRow', () => {
  it("slices each output tensor to the row's values", () => {
    const outputs = { label: tensor([2], [0, 1]), probabilities: tensor([2, 2], [0.9, 0.1, 0.25, 0.75]) };
    expect(outputsOfRow(outputs, 0, 2)).toBe('label 0 · probabilities [0.9, 0.1]');
    expect(outputsOfRow(outputs, 1, 2)).toBe('label 1 · probabilities [0.25, 0.75]');
  });

  it('shows a tensor that is not per row whole, strings as they are', () => {
    expect(outputsOfRow({ names: tensor([3], ['a', 'b', null]) }, 0, 2)).toBe('names [a, b, null]');
  });
});

describe('resultRows', () => {
  it('numbers the rows from 1 and carries the verdict when the model has a threshold', () => {
    const reply = {
      scores: [0.5, 2],
      isAnomaly: [false, true],
      outputs: { score: tensor([2], [0.5, 2]) },
    } as unknown as PredictReply;
    expect(resultRows(reply)).toEqual([
      { index: 1, score: '0.5', anomaly: false, outputs: 'score 0.5' },
      { index: 2, score: '2', anomaly: true, outputs: 'score 2' },
    ]);
  });

  it('has no verdict without one', () => {
    const reply = { scores: [0.1], isAnomaly: null, outputs: {} } as unknown as PredictReply;
    expect(resultRows(reply)).toEqual([{ index: 1, score: '0.1', anomaly: null, outputs: '' }]);
  });
});

describe('expectsOf', () => {
  const signature = (inputs: ModelVersionDto['signature']['inputs']): ModelVersionDto['signature'] => ({
    inputs,
    outputs: [],
  });

  it('names the features in order when there is a feature schema', () => {
    const v = {
      featureSchema: {
        version: 'v1',
        features: [
          { name: 'a', dtype: 'float32' as const },
          { name: 'b', dtype: 'float32' as const },
        ],
      },
      signature: signature([]),
    };
    expect(expectsOf(v)).toEqual({ label: 'Features (2), in order:', names: 'a, b' });
  });

  it('names the inputs of a multi-input pipeline, else the one input with its shape', () => {
    expect(
      expectsOf({
        featureSchema: null,
        signature: signature([
          { name: 'pclass', kind: 'tensor', elemType: 'int64', shape: [null, 1] },
          { name: 'sex', kind: 'tensor', elemType: 'string', shape: [null, 1] },
        ]),
      }),
    ).toEqual({ label: 'Inputs (2), as fields of an object row:', names: 'pclass (int64), sex (string)' });
    expect(
      expectsOf({
        featureSchema: null,
        signature: signature([{ name: 'X', kind: 'tensor', elemType: 'float32', shape: ['N', 4] }]),
      }),
    ).toEqual({ label: 'Input:', names: 'X [N, 4] float32' });
    expect(expectsOf({ featureSchema: null, signature: signature([]) })).toBeNull();
  });
});
