import * as ort from 'onnxruntime-node';
import { LogLensError } from '@loglens/contracts';
import { OnnxGraphBuilder, writeLogisticRegressionModel } from '@loglens/onnx-format';
import { OnnxModelSession, scoresOf, type InferInputTensor } from './onnx-session';
import { describeSession } from './signature';
import { modelBytes } from '@loglens/testing';

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

  it('scores several requests in one run and hands each its own rows', async () => {
    const requests = [[[1, 2, 3]], [[0, 0, 0], { a: 5, b: 1, c: -2 }], [[4, 4, 4]]];
    const batched = await session.predictBatched(requests);
    const alone = await Promise.all(requests.map((rows) => session.predict(rows)));
    expect(batched).toEqual(alone);
    expect(batched[1].outputs['score'].dims).toEqual([2, 1]);
  });

  it('names the request at fault in a batch', async () => {
    await expect(session.predictBatched([[[1, 2, 3]], [[1, 2]]])).rejects.toThrow('request 1: row 0 has 2 values but m@1 takes 3 features (a, b, c)');
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

describe('typed inference (Open Inference Protocol tensors)', () => {
  let session: OnnxModelSession;
  beforeAll(async () => {
    session = await OnnxModelSession.create(bytes, binding);
  });
  afterAll(() => session.release());
  const features = (over: Partial<InferInputTensor> = {}): InferInputTensor => ({ name: 'features', datatype: 'FP32', shape: [2, 3], data: [1, 2, 3, 0, 0, 0], ...over });

  it('answers with the same scores as predict', async () => {
    const [out] = await session.infer([features()]);
    const { outputs } = await session.predict([
      [1, 2, 3],
      [0, 0, 0],
    ]);
    expect(out).toEqual({ name: 'score', datatype: 'FP32', shape: [2, 1], data: outputs['score'].data });
  });

  it('accepts data nested by shape', async () => {
    const [nested] = await session.infer([features({ data: [[1, 2, 3], [0, 0, 0]] as unknown as number[] })]);
    const [flat] = await session.infer([features()]);
    expect(nested).toEqual(flat);
  });

  it.each<[string, InferInputTensor[], string]>([
    ['an unknown input', [features(), { name: 'extra', datatype: 'FP32', shape: [1], data: [1] }], 'unknown input "extra" (model inputs: features)'],
    ['a missing input', [], 'missing input(s) features (model inputs: features)'],
    ['an input given twice', [features(), features()], 'input "features" is given twice'],
    ['the wrong datatype', [features({ datatype: 'FP64' })], 'input "features": the model takes FP32, got datatype "FP64"'],
    ['too few values for the shape', [features({ data: [1, 2, 3] })], 'input "features": shape [2,3] holds 6 values, got 3'],
    ['a shape of another rank', [features({ shape: [6], data: [1, 2, 3, 4, 5, 6] })], "input \"features\": shape [6] does not fit the model's [N,3]"],
    ['a fixed dim that differs', [features({ shape: [3, 2] })], "input \"features\": shape [3,2] does not fit the model's [N,3]"],
    ['a negative dim', [features({ shape: [-2, 3] })], 'input "features": shape must be an array of non-negative integers, got [-2,3]'],
    ['a value of the wrong type', [features({ data: [1, 2, '3', 0, 0, 0] })], 'input "features", element 2: expected a number or null (missing), got "3"'],
  ])('refuses %s with VALIDATION_FAILED', async (_, inputs, message) => {
    const error = await session.infer(inputs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogLensError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message });
  });

  it('inferBytes answers the same scores as infer, from aligned and unaligned bytes, as the output buffer', async () => {
    const [json] = await session.infer([features()]);
    const floats = new Uint8Array(new Float32Array([1, 2, 3, 0, 0, 0]).buffer);
    // a Buffer at an odd offset, as a NATS message's tensor may sit in its frame
    const unaligned = Buffer.alloc(floats.length + 1).subarray(1);
    unaligned.set(floats);
    for (const bytes of [floats, unaligned]) {
      const [out] = await session.inferBytes([{ name: 'features', datatype: 'FP32', shape: [2, 3], bytes }]);
      expect(out).toMatchObject({ name: 'score', datatype: 'FP32', shape: [2, 1] });
      expect(Array.from(new Float32Array(out.bytes.slice().buffer))).toEqual(json.data);
    }
  });

  it.each([
    ['a byte size that does not fit the shape', { name: 'features', datatype: 'FP32', shape: [2, 3], bytes: new Uint8Array(20) }, /shape \[2,3\] of FP32 is 6 × 4 = 24 bytes, but binary_data_size is 20/],
    ['the wrong datatype', { name: 'features', datatype: 'FP64', shape: [2, 3], bytes: new Uint8Array(48) }, /the model takes FP32, got datatype "FP64"/],
    ['an unknown input', { name: 'nope', datatype: 'FP32', shape: [2, 3], bytes: new Uint8Array(24) }, /unknown input "nope"/],
  ])('inferBytes refuses %s with VALIDATION_FAILED', async (_, input, message) => {
    await expect(session.inferBytes([input])).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(message) });
  });

  it('refuses an unknown output and a ZipMap output by name', async () => {
    await expect(session.infer([features()], ['nope'])).rejects.toThrow('unknown output "nope" (model outputs: score)');
    const zipmap = await OnnxModelSession.create(modelBytes('sklearn_onnx_docs/logreg_iris.onnx'), { ref: 'iris@1', inputName: 'X', scoreOutput: 'output_label', featureNames: null });
    try {
      const x: InferInputTensor = { name: 'X', datatype: 'FP32', shape: [1, 2], data: [5.1, 3.5] };
      await expect(zipmap.infer([x], ['output_probability'])).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message: "output \"output_probability\" is not a tensor (a sequence of maps, e.g. skl2onnx's ZipMap) and onnxruntime-node cannot return it; tensor outputs: output_label",
      });
      expect(await zipmap.infer([x])).toEqual([{ name: 'output_label', datatype: 'INT64', shape: [1], data: [0] }]);
    } finally {
      await zipmap.release();
    }
  });
});

/** Identity over one input of each element type, one value per row: exercises every cast. */
function identityModel(): Uint8Array {
  const g = new OnnxGraphBuilder('identity');
  const io = [
    ['flag', 'bool', ['N']],
    ['small', 'int8', ['N', 1]],
    ['byte', 'uint8', ['N', 1]],
    ['count', 'int32', ['N']],
    ['wide', 'float64', ['N', 1]],
    ['word', 'string', ['N', 1]],
  ] as const;
  for (const [name, type, shape] of io) {
    g.addInput(name, type, shape);
    g.addOutput(`${name}_out`, type, shape);
    g.addNode({ opType: 'Identity', inputs: [name], outputs: [`${name}_out`] });
  }
  return g.toBytes();
}

describe('named-field rows of every element type', () => {
  let session: OnnxModelSession;
  beforeAll(async () => {
    session = await OnnxModelSession.create(identityModel(), { ref: 'id@1', inputName: 'flag', scoreOutput: 'wide_out', featureNames: null });
  });
  afterAll(() => session.release());
  const row = { flag: true, small: -3, byte: 200, count: 70000, wide: 0.1, word: 'héllo' };

  it('casts each field to its input type and shape', async () => {
    const { outputs, scores } = await session.predict([row, { ...row, flag: false, wide: null }]);
    expect(outputs['flag_out']).toEqual({ dims: [2], data: [1, 0] });
    expect(outputs['small_out']).toEqual({ dims: [2, 1], data: [-3, -3] });
    expect(outputs['byte_out']).toEqual({ dims: [2, 1], data: [200, 200] });
    expect(outputs['count_out']).toEqual({ dims: [2], data: [70000, 70000] });
    expect(outputs['word_out']).toEqual({ dims: [2, 1], data: ['héllo', 'héllo'] });
    expect(scores[0]).toBe(0.1);
    expect(scores[1]).toBeNaN();
  });

  it.each([
    [{ flag: 1 }, 'row 0, field flag: expected true or false, got 1'],
    [{ small: 128 }, 'row 0, field small: expected an integer in [-128, 127] (int8), got 128'],
    [{ byte: -1 }, 'row 0, field byte: expected an integer in [0, 255] (uint8), got -1'],
    [{ count: 2 ** 31 }, 'row 0, field count: expected an integer in [-2147483648, 2147483647] (int32), got 2147483648'],
    [{ word: 7 }, 'row 0, field word: expected a string, got 7'],
    [{ word: null }, 'row 0, field word: expected a string, got null'],
  ])('refuses %j', async (change, message) => {
    await expect(session.predict([{ ...row, ...change }])).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message });
  });

  it('returns bools as booleans and int8 as numbers through infer', async () => {
    const inputs: InferInputTensor[] = [
      { name: 'flag', datatype: 'BOOL', shape: [2], data: [true, false] },
      { name: 'small', datatype: 'INT8', shape: [2, 1], data: [1, -1] },
      { name: 'byte', datatype: 'UINT8', shape: [2, 1], data: [0, 255] },
      { name: 'count', datatype: 'INT32', shape: [2], data: [5, 6] },
      { name: 'wide', datatype: 'FP64', shape: [2, 1], data: [null, 2.5] },
      { name: 'word', datatype: 'BYTES', shape: [2, 1], data: ['a', 'b'] },
    ];
    const out = await session.infer(inputs, ['flag_out', 'wide_out', 'word_out']);
    expect(out).toEqual([
      { name: 'flag_out', datatype: 'BOOL', shape: [2], data: [true, false] },
      { name: 'wide_out', datatype: 'FP64', shape: [2, 1], data: [Number.NaN, 2.5] },
      { name: 'word_out', datatype: 'BYTES', shape: [2, 1], data: ['a', 'b'] },
    ]);
  });
});

describe('describeSession', () => {
  it('lists inputs and outputs with type, shape and whether onnxruntime-node can fetch them', async () => {
    const s = await OnnxModelSession.create(modelBytes('sklearn_onnx_docs/pipeline_titanic.onnx'), { ref: 't@1', inputName: 'pclass', scoreOutput: 'output_label', featureNames: null });
    try {
      const signature = describeSession(s);
      expect(signature.inputs[0]).toEqual({ name: 'pclass', isTensor: true, type: 'string', datatype: 'BYTES', shape: [null, 1] });
      expect(signature.inputs.map((i) => i.name)).toEqual(['pclass', 'sex', 'age', 'fare', 'embarked']);
      expect(signature.outputs).toEqual([
        { name: 'output_label', isTensor: true, type: 'int64', datatype: 'INT64', shape: [null] },
        { name: 'output_probability', isTensor: false, type: null, datatype: null, shape: null },
      ]);
      expect(s.tensorOutputs).toEqual(['output_label']);
    } finally {
      await s.release();
    }
  });

  it('refuses a ZipMap output as the score output', async () => {
    await expect(
      OnnxModelSession.create(modelBytes('sklearn_onnx_docs/rf_iris.onnx'), { ref: 'rf@1', inputName: 'float_input', scoreOutput: 'output_probability', featureNames: null }),
    ).rejects.toThrow('rf@1: score output "output_probability" is not a tensor output');
  });
});

describe('scoresOf', () => {
  it('reads [N,1] as the score and [N,2] as class probabilities', () => {
    expect(scoresOf({ dims: [2, 1], data: [0.1, 0.9] }, 2)).toEqual([0.1, 0.9]);
    expect(scoresOf({ dims: [2, 2], data: [0.7, 0.3, 0.2, 0.8] }, 2)).toEqual([0.3, 0.8]);
  });

  it('reads wider outputs by their first column and string labels as NaN', () => {
    expect(scoresOf({ dims: [1, 3], data: [0.5, 0.3, 0.2] }, 1)).toEqual([0.5]);
    expect(scoresOf({ dims: [2], data: ['A', 'B'] }, 2)).toEqual([Number.NaN, Number.NaN]);
  });
});
