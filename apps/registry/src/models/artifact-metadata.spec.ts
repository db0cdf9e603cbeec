import { LogLensError } from '@loglens/contracts';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { readServingFacts } from './artifact-metadata';

const bytes = writeLogisticRegressionModel({ featureNames: ['a', 'b'], mean: [0, 0], scale: [1, 1], weights: [1, 1], bias: 0 });

function failure(fn: () => unknown): LogLensError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LogLensError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('readServingFacts', () => {
  it('reads the input, score output and signature from the file', () => {
    const facts = readServingFacts(bytes, { threshold: 0.5, extra: 1 });
    expect(facts.inputName).toBe('features');
    expect(facts.scoreOutput).toBe('score');
    expect(facts.threshold).toBe(0.5);
    expect(facts.extra).toEqual({ extra: 1 });
    expect(facts.signature.inputs[0].shape).toEqual(['N', 2]);
  });

  it('refuses files that are not ONNX', () => {
    expect(failure(() => readServingFacts(new Uint8Array([1, 2, 3, 4]), {})).code).toBe('INVALID_MODEL');
  });

  it('refuses metadata that does not fit the graph', () => {
    expect(failure(() => readServingFacts(bytes, { inputName: 'nope' })).message).toMatch(/not an input of the graph/);
    expect(failure(() => readServingFacts(bytes, { scoreOutput: 'nope' })).message).toMatch(/not a tensor output/);
    expect(failure(() => readServingFacts(bytes, { featureSchema: { version: 'v', features: [{ name: 'a' }] } })).message).toMatch(/lists 1 features/);
    expect(failure(() => readServingFacts(bytes, { featureSchema: { version: 'v', features: [{ name: 'a' }, { name: 'a' }] } })).message).toMatch(/repeated/);
    expect(failure(() => readServingFacts(bytes, { threshold: 'high' })).code).toBe('VALIDATION_FAILED');
  });
});
