import { readFileSync } from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { workspaceRoot } from '@loglens/testing';
import { staticChecks } from './static-checks';

const logistic = writeLogisticRegressionModel({ featureNames: ['a', 'b'], mean: [0, 0], scale: [1, 1], weights: [1, 1], bias: 0 });
const shared = (rel: string) => readFileSync(path.join(workspaceRoot(), 'data/onnx-models', rel));

function outcomeOf(result: ReturnType<typeof staticChecks>, check: string): string | undefined {
  return result.checks.find((c) => c.check === check)?.outcome;
}

/** The logistic model with its weights moved to an external file at `location`. */
function withExternalData(location: string): Uint8Array {
  const model = onnx.ModelProto.decode(logistic);
  const init = model.graph!.initializer![0];
  init.rawData = new Uint8Array();
  init.floatData = [];
  init.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  init.externalData = [new onnx.StringStringEntryProto({ key: 'location', value: location })];
  return onnx.ModelProto.encode(model).finish();
}

describe('staticChecks', () => {
  it('passes a well-formed model and reads its serving facts', () => {
    const r = staticChecks(logistic, { featureSchema: { version: 'v1', features: [{ name: 'a' }, { name: 'b' }] }, threshold: 0.5 });
    expect(r.checks.filter((c) => c.outcome === 'fail')).toEqual([]);
    expect(r.facts).toMatchObject({ inputName: 'features', scoreOutput: 'score', width: 2, fixedBatch: null, threshold: 0.5 });
  });

  it('fails a truncated file at the protobuf check, in a sentence', () => {
    const r = staticChecks(logistic.subarray(0, Math.floor(logistic.length / 2)), {});
    expect(outcomeOf(r, 'protobuf')).toBe('fail');
    expect(r.checks[0].message).toMatch(/not a readable ONNX model/);
    expect(r.facts).toBeNull();
  });

  it('refuses external data, calling out paths that climb out or are absolute', () => {
    for (const location of ['/etc/passwd', '../../secret.bin', 'weights.bin']) {
      const r = staticChecks(withExternalData(location), {});
      expect(outcomeOf(r, 'external-data')).toBe('fail');
      const msg = r.checks.find((c) => c.check === 'external-data')!.message;
      expect(msg).toContain(location);
      expect(/file-read hole/.test(msg)).toBe(location !== 'weights.bin');
    }
  });

  it('fails a feature schema that does not match the input width', () => {
    const r = staticChecks(logistic, { featureSchema: { version: 'v1', features: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } });
    expect(outcomeOf(r, 'feature-schema')).toBe('fail');
    expect(r.checks.find((c) => c.check === 'feature-schema')!.message).toMatch(/lists 3 features but input "features" takes 2/);
  });

  it('detects ZipMap outputs and serves the tensor ones (rf_iris)', () => {
    const r = staticChecks(shared('sklearn_onnx_docs/rf_iris.onnx'), {});
    expect(outcomeOf(r, 'outputs')).toBe('warn');
    expect(r.facts?.tensorOutputs).toEqual(['output_label']);
    expect(r.checks.find((c) => c.check === 'outputs')!.message).toMatch(/output_probability \(sequence/);
  });

  it('detects a fixed batch dimension (2018 exports)', () => {
    const r = staticChecks(shared('sklearn_onnx_tests_2018/SklearnLinearRegression-Dec4.model.onnx'), {});
    expect(outcomeOf(r, 'batch-dimension')).toBe('warn');
    expect(r.facts?.fixedBatch).toBe(1);
  });

  it('describes multi-input models (titanic) and picks the probabilities as scores', () => {
    const r = staticChecks(shared('sklearn_onnx_docs/pipeline_titanic_nozipmap.onnx'), {});
    expect(r.checks.filter((c) => c.outcome === 'fail')).toEqual([]);
    expect(r.checks.find((c) => c.check === 'feature-schema')!.message).toMatch(/5 named inputs/);
    expect(r.facts?.scoreOutput).toBe('probabilities');
  });

  it('fails metadata that names an input or output the graph does not have', () => {
    expect(outcomeOf(staticChecks(logistic, { inputName: 'nope' }), 'feature-schema')).toBe('fail');
    expect(outcomeOf(staticChecks(logistic, { scoreOutput: 'nope' }), 'outputs')).toBe('fail');
  });

  it('refuses more than 1 Mi values per row even when the whole tensor is within the pre-scan’s element limit', () => {
    // [N, 2 Mi]: 2 Mi elements declared (under ONNX_MAX_TENSOR_ELEMENTS) but one row alone is 8 MiB of float32
    const wide = (width: number) => {
      const m = onnx.ModelProto.decode(logistic);
      for (const v of [...m.graph!.input!, ...m.graph!.output!]) v.type!.tensorType!.shape!.dim![1] = { dimValue: width };
      return onnx.ModelProto.encode(m).finish();
    };
    const r = staticChecks(wide(2 * 2 ** 20), {});
    expect(r.checks.find((c) => c.check === 'input-size')).toMatchObject({ outcome: 'fail', message: expect.stringMatching(/declares 2,097,152 values per row/) });
    expect(outcomeOf(staticChecks(wide(2 ** 20), {}), 'input-size')).toBeUndefined();
  });
});
