import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LogLensError, type PredictRow } from '@loglens/contracts';
import { inspectOnnx } from '@loglens/onnx-format';
import { OnnxModelSession, type InferInputTensor, type ServingBinding } from './onnx-session';
import { expectClose, flat, kserve, MODELS_DIR, modelBytes, modelJson, readTensorProto, type NumpyJson } from '@loglens/testing';

/**
 * Every third-party model in data/onnx-models with expected data, served the way the worker serves an upload:
 * the registry's defaults (first input, first tensor output), rows through `predict`, tensors through `infer`.
 */

/** The binding the registry derives when the uploader gives no metadata. */
function defaultBinding(file: string, extra: Partial<ServingBinding> = {}): ServingBinding {
  const info = inspectOnnx(modelBytes(file));
  const score = info.outputs.find((o) => o.kind === 'tensor');
  if (!score) throw new Error(`${file} has no tensor output`);
  return { ref: `${file.split('/').pop()?.replace(/\..*$/, '')}@1`, inputName: info.inputs[0].name, scoreOutput: score.name, featureNames: null, ...extra };
}

const sessions: OnnxModelSession[] = [];
async function open(file: string, extra: Partial<ServingBinding> = {}): Promise<OnnxModelSession> {
  const s = await OnnxModelSession.create(modelBytes(file), defaultBinding(file, extra), { logSeverityLevel: 4 });
  sessions.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.release()));
});

describe('sklearn-onnx 2018 test models (fixed batch dim, upstream expected outputs)', () => {
  const names = readdirSync(join(MODELS_DIR, 'sklearn_onnx_tests_2018'))
    .filter((f) => f.endsWith('.model.onnx'))
    .map((f) => f.replace(/\.model\.onnx$/, ''));

  it('has all 12 models with their data', () => {
    expect(names).toHaveLength(12);
  });

  it.each(names)('%s: predict rows reproduce the expected first output', async (name) => {
    const dir = 'sklearn_onnx_tests_2018';
    const data = modelJson<NumpyJson | Record<string, NumpyJson>>(`${dir}/${name}.data.json`);
    const expectedJson = modelJson<NumpyJson | NumpyJson[]>(`${dir}/${name}.expected.json`);
    const expected = Array.isArray(expectedJson) ? expectedJson[0] : expectedJson;

    let rows: PredictRow[];
    if ('dtype' in data) {
      rows = data.data as PredictRow[];
    } else {
      // several inputs (PipelineScalerMixed): one named field per input
      const fields = Object.entries(data as Record<string, NumpyJson>);
      rows = flat(fields[0][1].data).map((_, r) => Object.fromEntries(fields.map(([field, a]) => [field, flat(a.data)[r]])));
    }
    const hasMissing = JSON.stringify(data).includes('null');
    const session = await open(`${dir}/${name}.model.onnx`, { allowMissing: hasMissing });
    const first = session.signature.outputs[0];
    expect(first.isTensor).toBe(true);

    const { outputs, scores } = await session.predict(rows);
    const got = outputs[first.name];
    expect(got.dims[0]).toBe(rows.length);
    const exact = expected.dtype.startsWith('int') || expected.dtype.startsWith('<U');
    expectClose(got.data, flat(expected.data), exact ? 0 : 1e-4);
    expect(scores).toHaveLength(rows.length);
    // a second expected output is checked too when the model returns it as a tensor (classifiers' ZipMap is not)
    const second = session.signature.outputs[1];
    if (Array.isArray(expectedJson) && expectedJson[1] && second?.isTensor) {
      expectClose(outputs[second.name].data, flat(expectedJson[1].data), 1e-4);
    }
  });

  it('serves the string labels of BinRandomForestClassifier (its probabilities are a ZipMap it cannot return)', async () => {
    const session = await open('sklearn_onnx_tests_2018/SklearnBinRandomForestClassifier.model.onnx');
    const { outputs, scores } = await session.predict([
      [0, 1],
      [1, 1],
      [2, 0],
    ]);
    expect(Object.keys(outputs)).toEqual(['label']);
    expect(outputs['label']).toEqual({ dims: [3], data: ['A', 'A', 'A'] });
    // a string score output has no numeric score: NaN, written as null in JSON
    expect(session.scoreIsNumeric).toBe(false);
    expect(JSON.parse(JSON.stringify(scores))).toEqual([null, null, null]);
  });

  it('refuses missing values for a feature-vector model unless the binding allows them', async () => {
    const strict = await open('sklearn_onnx_tests_2018/SklearnImputerMeanFloat32.model.onnx');
    await expect(strict.predict([[null, 3] as unknown as number[]])).rejects.toThrow('row 0, feature #0: expected a finite number, got null');
    const lenient = await open('sklearn_onnx_tests_2018/SklearnImputerMeanFloat32.model.onnx', { allowMissing: true });
    expect((await lenient.predict([[null, 3] as unknown as number[]])).outputs['variable'].data).toEqual([4, 3]);
  });

  it('serves the two-input PipelineScalerMixed from named fields and from arrays in input order', async () => {
    const session = await open('sklearn_onnx_tests_2018/SklearnPipelineScalerMixed-OneOff.model.onnx');
    expect(session.rowLayout).toEqual({
      kind: 'fields',
      fields: [
        { name: 'input1', type: 'int64', rank: 2 },
        { name: 'input2', type: 'float32', rank: 2 },
      ],
      fixedBatch: 1,
    });
    const named = await session.predict([
      { input1: 0, input2: 0 },
      { input1: 1, input2: 1 },
    ]);
    expect(named.outputs['variable1']).toEqual({ dims: [2, 2], data: [-3, -3, 1, 1] });
    const arrays = await session.predict([
      [0, 0],
      [1, 1],
    ]);
    expect(arrays.outputs).toEqual(named.outputs);
    await expect(session.predict([{ input1: 0.5, input2: 0 }])).rejects.toThrow('row 0, field input1: expected an integer, got 0.5');
  });

  it('keeps fixed batches of 4 whole (StandardScaler takes [4,3]) and refuses other row counts', async () => {
    const session = await open('sklearn_onnx_tests_2018/SklearnStandardScalerFloat32.model.onnx');
    expect(session.fixedBatch).toBe(4);
    const row = [0, 0, 3];
    expect((await session.predict(Array(8).fill(row))).outputs['variable'].dims).toEqual([8, 3]);
    await expect(session.predict([row])).rejects.toThrow('takes batches of exactly 4 rows (got 1)');
  });

  it('refuses non-integers and out-of-range values for an int64 feature vector', async () => {
    const session = await open('sklearn_onnx_tests_2018/SklearnOneHotEncoderInt64-SkipDim1.model.onnx');
    await expect(session.predict([[1, 2.5, 3]])).rejects.toThrow('row 0, feature #1: expected an integer, got 2.5');
    await expect(session.predict([[1, 2, 2 ** 60]])).rejects.toThrow(/row 0, feature #2: expected an integer in \[/);
  });
});

interface GoldenTensor {
  type: string;
  dims: number[];
  data: Array<number | string>;
}
interface GoldenCase {
  model: string;
  inputs: Record<string, GoldenTensor>;
  fetched: string[];
  outputs: Record<string, GoldenTensor>;
  fullFetchError?: string;
}

describe('golden onnxruntime-node outputs (docs, anomaly and treecl models)', () => {
  const { cases } = modelJson<{ cases: GoldenCase[] }>('golden_outputs_ort_node.json');
  // the JSON writes NaN as the string "NaN"; requests carry a missing float as null
  const value = (type: string, v: number | string): number | string | null => (type.startsWith('float') && v === 'NaN' ? null : v);

  function rowsOf(c: GoldenCase): PredictRow[] {
    const inputs = Object.entries(c.inputs);
    const n = inputs[0][1].dims[0];
    if (inputs.length === 1) {
      const [, t] = inputs[0];
      const width = t.data.length / n;
      return Array.from({ length: n }, (_, r) => t.data.slice(r * width, (r + 1) * width).map((v) => value(t.type, v)) as number[]);
    }
    return Array.from({ length: n }, (_, r) => Object.fromEntries(inputs.map(([name, t]) => [name, value(t.type, t.data[r])])));
  }

  it.each(cases.map((c) => [c.model, c] as const))('%s: predict rows give the golden outputs', async (_, c) => {
    const session = await open(c.model);
    const { outputs } = await session.predict(rowsOf(c));
    expect(Object.keys(outputs).sort()).toEqual([...c.fetched].sort());
    for (const name of c.fetched) {
      expect(outputs[name].dims).toEqual(c.outputs[name].dims);
      expectClose(outputs[name].data, c.outputs[name].data, c.outputs[name].type.startsWith('int') ? 0 : 1e-4);
    }
  });

  it.each(cases.map((c) => [c.model, c] as const))('%s: typed inference gives the golden outputs', async (_, c) => {
    const session = await open(c.model);
    const inputs: InferInputTensor[] = Object.entries(c.inputs).map(([name, t]) => ({
      name,
      datatype: kserve(t.type),
      shape: t.dims,
      data: t.data.map((v) => value(t.type, v)),
    }));
    const result = await session.infer(inputs);
    expect(result.map((o) => o.name)).toEqual(c.fetched);
    for (const out of result) {
      const want = c.outputs[out.name];
      expect(out.datatype).toBe(kserve(want.type));
      expect(out.shape).toEqual(want.dims);
      expectClose(out.data, want.data, want.type.startsWith('int') ? 0 : 1e-4);
    }
    if (c.fullFetchError) {
      const zipmap = session.signature.outputs.find((o) => !o.isTensor);
      expect(zipmap).toBeDefined();
      await expect(session.infer(inputs, [zipmap?.name ?? ''])).rejects.toThrow(
        new RegExp(`output "${zipmap?.name}" is not a tensor .* onnxruntime-node cannot return it; tensor outputs: ${c.fetched.join(', ')}`),
      );
    }
  });

  it('serves Titanic from named-field rows: each field cast to its input type, null age imputed', async () => {
    const session = await open('sklearn_onnx_docs/pipeline_titanic_nozipmap.onnx');
    expect(session.rowLayout.kind).toBe('fields');
    const { outputs, scores } = await session.predict([
      { pclass: 1, sex: 'female', age: 29, fare: 211.3375, embarked: 'S' },
      { pclass: 3, sex: 'male', age: null, fare: 7.25, embarked: 'Q' },
    ]);
    expect(outputs['label']).toEqual({ dims: [2], data: [1, 0] });
    expectClose(outputs['probabilities'].data, [0.11446195840835571, 0.8855380415916443, 0.8951539397239685, 0.1048460602760315]);
    // the registry's default score output is the first tensor output: the label
    expect(scores).toEqual([1, 0]);
  });

  it('names the row and field at fault for Titanic rows', async () => {
    const session = await open('sklearn_onnx_docs/pipeline_titanic_nozipmap.onnx');
    const ok = { pclass: 1, sex: 'female', age: 29, fare: 211.3375, embarked: 'S' };
    const fails = async (row: PredictRow, message: string | RegExp) => {
      const error = await session.predict([ok, row]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LogLensError);
      expect((error as LogLensError).code).toBe('VALIDATION_FAILED');
      expect((error as LogLensError).message).toMatch(message);
    };
    await fails({ ...ok, sex: 3 }, 'row 1, field sex: expected a string, got 3');
    await fails({ ...ok, pclass: 1.5 }, 'row 1, field pclass: expected an integer, got 1.5');
    await fails({ ...ok, pclass: '1' }, 'row 1, field pclass: expected an integer, got "1"');
    await fails({ ...ok, pclass: null }, 'row 1, field pclass: expected an integer, got null');
    await fails({ ...ok, fare: 'cheap' }, 'row 1, field fare: expected a number or null (missing), got "cheap"');
    await fails({ ...ok, age: true }, 'row 1, field age: expected a number or null (missing), got true');
    const { embarked: _, ...noEmbarked } = ok;
    await fails(noEmbarked, 'row 1 is missing field "embarked"');
    await fails({ ...ok, cabin: 'C85' }, /row 1 has unknown field\(s\) cabin .*\(fields: pclass, sex, age, fare, embarked\)/);
    await fails([1, 2, 3], 'row 1 has 3 values but pipeline_titanic_nozipmap@1 takes 5 fields');
  });

  it('serves the ZipMap Titanic (pclass is a string there) and fetches only its tensor output', async () => {
    const session = await open('sklearn_onnx_docs/pipeline_titanic.onnx');
    const { outputs } = await session.predict([
      { pclass: '1', sex: 'female', age: 29, fare: 211.3375, embarked: 'S' },
      { pclass: '3', sex: 'male', age: null, fare: 7.25, embarked: 'Q' },
    ]);
    expect(outputs).toEqual({ output_label: { dims: [2], data: [1, 0] } });
    await expect(session.predict([{ pclass: 1, sex: 'female', age: 29, fare: 211.3375, embarked: 'S' }])).rejects.toThrow(
      'row 0, field pclass: expected a string, got 1',
    );
  });

  it('takes treecl rows at the width the rows give, and relays onnxruntime refusing a width it cannot use', async () => {
    const session = await open('sklearn_onnx_docs/treecl.onnx');
    expect(session.width).toBeNull();
    await expect(session.predict([[1, 2, 3]])).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringMatching(/onnxruntime could not run these inputs: .*requests feature 19 but input tensor has 3 features/) });
    await expect(session.predict([Array(20).fill(0), [1, 2]])).rejects.toThrow('row 1 has 2 values but row 0 has 20');
  });
});

describe('onnx backend node tests (ai.onnx.ml operators, TensorProto test data)', () => {
  const tests = readdirSync(join(MODELS_DIR, 'onnx_node_tests'));

  it.each(tests)('%s: typed inference reproduces output_0.pb', async (test) => {
    const dir = `onnx_node_tests/${test}`;
    const session = await open(`${dir}/model.onnx`);
    const files = readdirSync(join(MODELS_DIR, dir, 'test_data_set_0'));
    const inputs = files
      .filter((f) => f.startsWith('input_'))
      .sort()
      .map((f) => readTensorProto(`${dir}/test_data_set_0/${f}`));
    const expected = readTensorProto(`${dir}/test_data_set_0/output_0.pb`);
    const result = await session.infer(inputs.map((t) => ({ name: t.name, datatype: kserve(t.type), shape: t.dims, data: t.data })));
    const out = result.find((o) => o.name === expected.name);
    expect(out?.shape).toEqual(expected.dims);
    expectClose(out?.data ?? [], expected.data, expected.type.startsWith('int') ? 0 : 1e-4);
  });

  it('serves the node tests that rows can fill through predict as well', async () => {
    const single = await open('onnx_node_tests/test_ai_onnx_ml_tree_ensemble_single_tree/model.onnx');
    const x = readTensorProto('onnx_node_tests/test_ai_onnx_ml_tree_ensemble_single_tree/test_data_set_0/input_0.pb');
    const y = readTensorProto('onnx_node_tests/test_ai_onnx_ml_tree_ensemble_single_tree/test_data_set_0/output_0.pb');
    const rows = [0, 1, 2].map((r) => x.data.slice(r * 2, r * 2 + 2) as number[]);
    expectClose((await single.predict(rows)).outputs['Y'].data, y.data);

    const encoder = await open('onnx_node_tests/test_ai_onnx_ml_label_encoder_string_int/model.onnx');
    const words = readTensorProto('onnx_node_tests/test_ai_onnx_ml_label_encoder_string_int/test_data_set_0/input_0.pb');
    const codes = readTensorProto('onnx_node_tests/test_ai_onnx_ml_label_encoder_string_int/test_data_set_0/output_0.pb');
    expect(encoder.rowLayout).toEqual({ kind: 'fields', fields: [{ name: 'X', type: 'string', rank: 1 }], fixedBatch: 5 });
    expect((await encoder.predict(words.data.map((w) => ({ X: w })))).outputs['Y'].data).toEqual(codes.data);

    // its test data includes NaN (the operator's missing-value branch), which a feature vector takes only when allowed
    const membership = await open('onnx_node_tests/test_ai_onnx_ml_tree_ensemble_set_membership/model.onnx', { allowMissing: true });
    const m = readTensorProto('onnx_node_tests/test_ai_onnx_ml_tree_ensemble_set_membership/test_data_set_0/input_0.pb');
    expect(m.data.some((v) => Number.isNaN(v))).toBe(true);
    // a one-wide input can be addressed by its own name
    const byName = await membership.predict(m.data.map((v) => ({ X: v as number })));
    expectClose(byName.outputs['Y'].data, readTensorProto('onnx_node_tests/test_ai_onnx_ml_tree_ensemble_set_membership/test_data_set_0/output_0.pb').data);
  });

  it('points models that rows cannot fill at typed inference', async () => {
    const binarizer = await open('onnx_node_tests/test_ai_onnx_ml_binarizer/model.onnx');
    expect(binarizer.rowLayout.kind).toBe('none');
    await expect(binarizer.predict([[1]])).rejects.toThrow(/cannot be fed from rows \(input "X" is float32\[3,4,5\].*send typed tensors/);
    const extractor = await open('onnx_node_tests/test_ai_onnx_ml_array_feature_extractor/model.onnx');
    await expect(extractor.predict([{ x: 1, y: 0 }])).rejects.toThrow(/input "x" is float32\[3,4\]/);
  });
});

describe('smoke test on every model', () => {
  const all: string[] = [];
  for (const dir of ['sklearn_onnx_docs', 'sklearn_onnx_anomaly', 'sklearn_onnx_tests_2018']) {
    for (const f of readdirSync(join(MODELS_DIR, dir))) if (f.endsWith('.onnx')) all.push(`${dir}/${f}`);
  }
  for (const t of readdirSync(join(MODELS_DIR, 'onnx_node_tests'))) all.push(`onnx_node_tests/${t}/model.onnx`);

  it('covers the 25 models', () => {
    expect(all).toHaveLength(25);
  });

  it.each(all.filter((f) => !f.endsWith('treecl.onnx')))('%s runs on a row of zeros', async (file) => {
    const session = await open(file);
    const result = await session.smokeTest();
    expect(result).toMatchObject({ ok: true, outputs: session.tensorOutputs });
  });

  it('treecl runs at width 20 and fails at width 1 with onnxruntime’s reason', async () => {
    const session = await open('sklearn_onnx_docs/treecl.onnx');
    const ok = await session.smokeTest({ width: 20 });
    expect(ok).toMatchObject({ ok: true, outputs: ['label_0', 'proba_0'], inputs: { input: [1, 20] } });
    if (ok.ok) expect(ok.latencyMs).toBeGreaterThan(0);
    const narrow = await session.smokeTest({ width: 1 });
    expect(narrow.ok).toBe(false);
    if (!narrow.ok) {
      expect(narrow.error).toContain('One path in the graph requests feature 19 but input tensor has 1 features');
      expect(narrow.error).not.toContain('onnxruntime_src');
    }
    expect((await session.smokeTest()).ok).toBe(false);
    expect((await session.smokeTest({ baselineRow: Array(20).fill(0.5) })).ok).toBe(true);
  });

  it('uses the baseline row for a feature-vector input and refuses one of the wrong length', async () => {
    const session = await open('sklearn_onnx_anomaly/sk_OCSVM.onnx');
    expect(await session.smokeTest({ baselineRow: [0.1, 0.2, 0.3] })).toMatchObject({ ok: true, inputs: { input: [1, 3] }, notes: [] });
    expect(await session.smokeTest({ baselineRow: [0.1, 0.2] })).toEqual({ ok: false, error: 'input "input" takes 3 features per row, not 2' });
    expect(await session.smokeTest({ baselineRow: [0.1, Number.NaN, 0.3] })).toMatchObject({ ok: false, error: /baseline row, feature #1: expected a finite number/ });
  });

  it('feeds the fixed batch, strings and several inputs of the models that have them', async () => {
    expect(await (await open('sklearn_onnx_tests_2018/SklearnMinMaxScaler.model.onnx')).smokeTest()).toMatchObject({ inputs: { input: [4, 3] } });
    expect(await (await open('sklearn_onnx_docs/pipeline_titanic_nozipmap.onnx')).smokeTest()).toMatchObject({
      ok: true,
      inputs: { pclass: [1, 1], sex: [1, 1], age: [1, 1], fare: [1, 1], embarked: [1, 1] },
    });
  });

  it('reports a released session instead of throwing', async () => {
    const session = await open('sklearn_onnx_anomaly/sk_OCSVM.onnx');
    await session.release();
    expect(await session.smokeTest()).toEqual({ ok: false, error: 'sk_OCSVM@1 was unloaded' });
  });
});
