import { readFileSync } from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { inspectOnnx } from './inspect-onnx';
import { writeLogisticRegressionModel } from './logistic-regression-model';
import { OnnxGraphBuilder, ONNX_ML_DOMAIN, onnxAttr } from './onnx-graph-builder';
import { OnnxFormatError } from './onnx-format-error';

const fixture = (name: string): Uint8Array => readFileSync(path.join(__dirname, '../fixtures', name));

function identityModel(): OnnxGraphBuilder {
  const g = new OnnxGraphBuilder('identity');
  g.addInput('x', 'float32', ['N', 2]);
  g.addOutput('y', 'float32', ['N', 2]);
  g.addInitializer('w', { elemType: 'float32', dims: [2], values: [1, 1] });
  g.addNode({ opType: 'Mul', inputs: ['x', 'w'], outputs: ['y'] });
  return g;
}

describe('inspectOnnx', () => {
  it('reports the signature, opsets and metadata of a written logistic regression', () => {
    const bytes = writeLogisticRegressionModel({
      featureNames: ['T1', 'T2', 'T3'],
      mean: [0, 1, 2],
      scale: [1, 2, 3],
      weights: [0.5, -1, 2],
      bias: 0.25,
      modelName: 'toy',
      metadataProps: { threshold: '0.5' },
    });
    const info = inspectOnnx(bytes);
    expect(info).toEqual({
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      producerName: '@loglens/onnx-format',
      producerVersion: '1',
      graphName: 'toy',
      inputs: [
        {
          name: 'features',
          kind: 'tensor',
          elemType: 'float32',
          shape: ['N', 3],
          description: expect.any(String),
        },
      ],
      outputs: [
        {
          name: 'score',
          kind: 'tensor',
          elemType: 'float32',
          shape: ['N', 1],
          description: expect.any(String),
        },
      ],
      nodeCount: 5,
      opTypes: ['Add', 'Div', 'MatMul', 'Sigmoid', 'Sub'],
      externalData: [],
      customDomains: [],
      metadataProps: { feature_names: '["T1","T2","T3"]', threshold: '0.5' },
    });
  });

  it('rejects bytes that are not a protobuf ModelProto with OnnxFormatError', () => {
    const garbage = new TextEncoder().encode('this is a CSV file,\nnot a model\n');
    expect(() => inspectOnnx(garbage)).toThrow(OnnxFormatError);
    try {
      inspectOnnx(garbage);
    } catch (err) {
      expect(err).toMatchObject({ code: 'ONNX_PARSE_FAILED', name: 'OnnxFormatError' });
      expect((err as Error).message).toMatch(/^not an ONNX model: protobuf decoding failed/);
    }
  });

  it('rejects a payload that decodes but has no graph', () => {
    expect(() => inspectOnnx(new Uint8Array(0))).toThrow(/has no graph/);
    const graphless = onnx.ModelProto.encode({ irVersion: 8, producerName: 'x' }).finish();
    expect(() => inspectOnnx(graphless)).toThrow(OnnxFormatError);
  });

  it('does not count initializers listed among graph inputs as inputs', () => {
    // IR < 4 exporters list every initializer as a graph input too
    const model = identityModel().toModelProto();
    model.graph!.input!.push({
      name: 'w',
      type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } },
    });
    const info = inspectOnnx(onnx.ModelProto.encode(model).finish());
    expect(info.inputs.map((i) => i.name)).toEqual(['x']);
  });

  it('lists initializers and attribute tensors whose data is external', () => {
    const g = identityModel();
    g.addNode({
      opType: 'Constant',
      name: 'const_node',
      inputs: [],
      outputs: ['c'],
      attributes: { value: onnxAttr.tensor({ elemType: 'float32', dims: [1], values: [0] }) },
    });
    const model = g.toModelProto();
    const external = (location: string): Partial<onnx.ITensorProto> => ({
      floatData: [],
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: location },
        { key: 'offset', value: '0' },
      ],
    });
    Object.assign(model.graph!.initializer![0], external('weights.bin'));
    Object.assign(model.graph!.node![1].attribute![0].t!, external('../other-model/const.bin'));

    const info = inspectOnnx(onnx.ModelProto.encode(model).finish());
    expect(info.externalData).toEqual([
      { tensor: 'w', location: 'weights.bin' },
      { tensor: 'value', location: '../other-model/const.bin' },
    ]);
  });

  it('reports node domains that need a custom-op library, ignoring ai.onnx and ai.onnx.ml', () => {
    const g = new OnnxGraphBuilder('mixed', { opsets: { 'com.microsoft': 1, 'ai.onnx': 17 } });
    g.addInput('x', 'float32', ['N', 4]);
    g.addOutput('z', 'float32', ['N', 4]);
    g.addNode({ opType: 'FusedGelu', domain: 'com.microsoft', inputs: ['x'], outputs: ['a'] });
    g.addNode({ opType: 'Normalizer', domain: ONNX_ML_DOMAIN, inputs: ['a'], outputs: ['b'] });
    g.addNode({ opType: 'Relu', domain: 'ai.onnx', inputs: ['b'], outputs: ['z'] });
    const info = inspectOnnx(g.toBytes());
    expect(info.customDomains).toEqual(['com.microsoft']);
    expect(info.opTypes).toEqual(['FusedGelu', 'Normalizer', 'Relu']);
    expect(info.opsets).toEqual([
      { domain: '', version: 17 },
      { domain: 'ai.onnx', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
      { domain: 'com.microsoft', version: 1 },
    ]);
  });

  describe('real exports (src/fixtures, see MODELS.md)', () => {
    it('reports a skl2onnx ZipMap output as a sequence without element type or shape', () => {
      const info = inspectOnnx(fixture('logreg_iris.onnx'));
      expect(info.producerName).toBe('skl2onnx');
      expect(info.irVersion).toBe(7);
      expect(info.opsets).toEqual([
        { domain: '', version: 9 },
        { domain: 'ai.onnx.ml', version: 1 },
      ]);
      expect(info.inputs).toEqual([{ name: 'X', kind: 'tensor', elemType: 'float32', shape: [null, 2] }]);
      expect(info.outputs).toEqual([
        { name: 'output_label', kind: 'tensor', elemType: 'int64', shape: [null] },
        { name: 'output_probability', kind: 'sequence', elemType: null, shape: null },
      ]);
      expect(info.opTypes).toEqual(['Cast', 'LinearClassifier', 'Normalizer', 'ZipMap']);
      expect(info.customDomains).toEqual([]);
    });

    it('reports the fixed batch dimension of 1 of a 2018 OnnxMLTools export', () => {
      const info = inspectOnnx(fixture('SklearnBinRandomForestClassifier.model.onnx'));
      expect(info.irVersion).toBe(3);
      expect(info.producerName).toBe('OnnxMLTools');
      expect(info.opsets).toEqual([{ domain: 'ai.onnx.ml', version: 1 }]);
      expect(info.inputs).toEqual([{ name: 'input', kind: 'tensor', elemType: 'float32', shape: [1, 2] }]);
      expect(info.outputs).toEqual([
        { name: 'label', kind: 'tensor', elemType: 'string', shape: [1] },
        { name: 'probabilities', kind: 'sequence', elemType: null, shape: null },
      ]);
    });

    it('keeps initializers out of the inputs of an anomaly scorer', () => {
      const info = inspectOnnx(fixture('sk_SGD_OneClass_SVM.onnx'));
      expect(info.inputs.map((i) => i.name)).toEqual(['input']);
      expect(info.outputs).toEqual([
        { name: 'label', kind: 'tensor', elemType: 'int64', shape: [null, 1] },
        { name: 'scores', kind: 'tensor', elemType: 'float32', shape: [null, 1] },
      ]);
      expect(info.externalData).toEqual([]);
    });
  });
});
