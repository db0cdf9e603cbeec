import * as ort from 'onnxruntime-node';
import { inspectOnnx } from './inspect-onnx';
import { OnnxGraphBuilder, ONNX_ML_DOMAIN, onnxAttr } from './onnx-graph-builder';

/** One depth-1 tree: x[:, 1] <= 0.5 → 10, else → 20, plus base value 1 — the shape an isolation forest will take. */
function stumpRegressor(): OnnxGraphBuilder {
  const g = new OnnxGraphBuilder('stump');
  g.addInput('features', 'float32', ['N', 2]);
  g.addOutput('score', 'float32', ['N', 1]);
  g.addNode({
    opType: 'TreeEnsembleRegressor',
    domain: ONNX_ML_DOMAIN,
    inputs: ['features'],
    outputs: ['score'],
    attributes: {
      n_targets: onnxAttr.int(1),
      aggregate_function: onnxAttr.string('SUM'),
      post_transform: onnxAttr.string('NONE'),
      base_values: onnxAttr.floats([1]),
      nodes_treeids: onnxAttr.ints([0, 0, 0]),
      nodes_nodeids: onnxAttr.ints([0, 1, 2]),
      nodes_featureids: onnxAttr.ints([1, 0, 0]),
      nodes_values: onnxAttr.floats([0.5, 0, 0]),
      nodes_modes: onnxAttr.strings(['BRANCH_LEQ', 'LEAF', 'LEAF']),
      nodes_truenodeids: onnxAttr.ints([1, 0, 0]),
      nodes_falsenodeids: onnxAttr.ints([2, 0, 0]),
      target_treeids: onnxAttr.ints([0, 0]),
      target_nodeids: onnxAttr.ints([1, 2]),
      target_ids: onnxAttr.ints([0, 0]),
      target_weights: onnxAttr.floats([10, 20]),
    },
  });
  return g;
}

describe('OnnxGraphBuilder', () => {
  it('writes ai.onnx.ml tree ensembles that onnxruntime-node runs, importing the ml opset only when used', async () => {
    const bytes = stumpRegressor().toBytes();
    expect(inspectOnnx(bytes).opsets).toEqual([
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ]);
    const session = await ort.InferenceSession.create(bytes);
    try {
      const x = new ort.Tensor('float32', Float32Array.from([0, 0.2, 0, 0.9, 5, 0.5]), [3, 2]);
      const { score } = await session.run({ features: x });
      expect(score.dims).toEqual([3, 1]);
      expect(Array.from(score.data as Float32Array)).toEqual([11, 21, 11]);
    } finally {
      await session.release();
    }
  });

  it('gives identical bytes for identical calls', () => {
    expect(Buffer.from(stumpRegressor().toBytes()).equals(Buffer.from(stumpRegressor().toBytes()))).toBe(
      true,
    );
  });

  it('refuses a node that reads a value nothing defines', () => {
    const g = new OnnxGraphBuilder('bad');
    g.addInput('x', 'float32', [1]);
    expect(() => g.addNode({ opType: 'Add', inputs: ['x', 'missing'], outputs: ['y'] })).toThrow(
      "node 'Add' reads 'missing', which no input, initializer or earlier node defines",
    );
  });

  it('refuses an output no node produces and a name defined twice', () => {
    const g = new OnnxGraphBuilder('bad');
    g.addInput('x', 'float32', [1]);
    g.addOutput('y', 'float32', [1]);
    expect(() => g.toBytes()).toThrow("graph output 'y' is never produced");
    expect(() => g.addInitializer('x', { elemType: 'float32', dims: [1], values: [1] })).toThrow(
      /defined twice/,
    );
  });

  it('refuses tensors whose value count does not match their dims, and non-integer int64 data', () => {
    const g = new OnnxGraphBuilder('bad');
    expect(() => g.addInitializer('w', { elemType: 'float32', dims: [2, 2], values: [1, 2, 3] })).toThrow(
      "tensor 'w' has 3 values for dims [2, 2]",
    );
    expect(() => g.addInitializer('k', { elemType: 'int64', dims: [1], values: [1.5] })).toThrow(
      /needs integers/,
    );
  });

  it('requires an opset version for a custom domain', () => {
    const g = new OnnxGraphBuilder('custom');
    g.addInput('x', 'float32', [1]);
    g.addOutput('y', 'float32', [1]);
    g.addNode({ opType: 'Mystery', domain: 'com.example', inputs: ['x'], outputs: ['y'] });
    expect(() => g.toBytes()).toThrow("no opset version given for domain 'com.example'");
  });
});
