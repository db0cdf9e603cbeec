// Exactness of the explainers on every tree, linear and PCA model in data/onnx-models and on the models the trainer
// writes (the default models and small ≤ 8-feature twins): attributions sum to output − base within 1e-5, equal the
// brute-force Shapley values (all 2^n coalitions over the same expectation rule) within 1e-6 where n ≤ 8, and the
// explained output maps to onnxruntime's own score.
import * as ort from 'onnxruntime-node';
import { modelBytes, modelJson, rowsOf, workspaceRoot, type NumpyJson } from '@loglens/testing';
// the default models' recipes and the WiFi simulator: @loglens/testing/models (shared with tools/)
import { buildLogAnomalyModel, trainWifiAnomaly, trainDetector, type Algorithm, loadHdfsDeeplog } from '@loglens/testing/models';
import { bruteForceShapley } from './brute-force';
import { Explainer, scoreFromOutput, type Explanation, type ExplainerOptions } from './explainer';

// training the default models takes tens of seconds on a loaded machine
jest.setTimeout(300_000);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomRows(n: number, width: number, lo: number, hi: number, seed = 7): number[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () =>
    Array.from({ length: width }, () => Math.fround(lo + r() * (hi - lo))),
  );
}

function sumOf(e: Explanation): number {
  return e.attributions.reduce((s, a) => s + a.contribution, 0);
}

function byIndex(e: Explanation): number[] {
  const out = new Array<number>(e.attributions.length);
  for (const a of e.attributions) out[a.index] = a.contribution;
  return out;
}

/** Σ attributions = output − base (1e-5), ranked by |contribution|, and for n ≤ 8 = brute-force Shapley (1e-6). */
function checkExact(explainer: Explainer, rows: number[][]): Explanation[] {
  const n = explainer.featureNames.length;
  return rows.map((row) => {
    const e = explainer.explainRow(row);
    expect(e.approximate).toBe(false);
    expect(Math.abs(sumOf(e) - (e.outputValue - e.baseValue))).toBeLessThan(1e-5);
    const mags = e.attributions.map((a) => Math.abs(a.contribution));
    expect(mags).toEqual([...mags].sort((a, b) => b - a));
    if (n <= 8 && explainer.info.notes.every((note) => !note.startsWith('range guard'))) {
      const brute = bruteForceShapley(n, (known) => explainer.coalitionValue(row, known));
      const got = byIndex(e);
      brute.forEach((b, j) => expect(Math.abs(got[j] - b)).toBeLessThan(1e-6));
      // the empty coalition is the base value, the full one the output
      expect(Math.abs(explainer.coalitionValue(row, () => false) - e.baseValue)).toBeLessThan(1e-9);
      expect(Math.abs(explainer.coalitionValue(row, () => true) - e.outputValue)).toBeLessThan(1e-9);
    }
    return e;
  });
}

async function ortOutputs(bytes: Uint8Array, rows: number[][]): Promise<Record<string, number[][]>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const input = session.inputNames[0];
    const out: Record<string, number[][]> = {};
    // one row per run: the 2018 exports fix the batch dimension at 1
    const batches = rows.map((r) => [r]);
    for (const batch of batches) {
      const tensor = new ort.Tensor('float32', Float32Array.from(batch.flat()), [
        batch.length,
        batch[0].length,
      ]);
      const names = session.outputNames.filter((_, i) => session.outputMetadata[i]?.isTensor !== false);
      const result = await session.run({ [input]: tensor }, names);
      for (const name of names) {
        const t = result[name];
        if (t.type !== 'float32') continue;
        const width = t.dims.length === 2 ? t.dims[1] : 1;
        const data = Array.from(t.data as Float32Array);
        for (let i = 0; i < batch.length; i++)
          (out[name] ??= []).push(data.slice(i * width, (i + 1) * width));
      }
    }
    return out;
  } finally {
    await session.release();
  }
}

/** Checks that link(outputValue) is onnxruntime's value in `output` column `column`. */
async function checkAgainstOrt(
  bytes: Uint8Array,
  explainer: Explainer,
  rows: number[][],
  output: string,
  column: number,
  tolerance = 2e-5,
): Promise<void> {
  const outs = await ortOutputs(bytes, rows);
  const expected = outs[output].map((r) => r[column]);
  const got = rows.map((r) => scoreFromOutput(explainer.info.link, explainer.explainRow(r).outputValue));
  got.forEach((g, i) => {
    expect(g).not.toBeNull();
    expect(Math.abs((g as number) - expected[i])).toBeLessThan(
      tolerance * Math.max(1, Math.abs(expected[i])),
    );
  });
}

describe('explainers on the third-party models of data/onnx-models', () => {
  const cases: Array<{
    file: string;
    kind: string;
    width: number;
    rows: () => number[][];
    opts?: ExplainerOptions;
    ort?: { output: string; column: number };
  }> = [
    {
      file: 'sklearn_onnx_docs/rf_iris.onnx',
      kind: 'tree-ensemble',
      width: 4,
      rows: () => randomRows(12, 4, 0, 8),
    },
    {
      file: 'sklearn_onnx_docs/treecl.onnx',
      kind: 'tree-ensemble',
      width: 20,
      rows: () => randomRows(12, 20, -3, 3),
      opts: { width: 20 },
    },
    {
      file: 'sklearn_onnx_docs/logreg_iris.onnx',
      kind: 'linear',
      width: 2,
      rows: () => randomRows(12, 2, 0, 8),
    },
    ...[
      'SklearnBinRandomForestClassifier',
      'SklearnMclRandomForestClassifier',
      'SklearnMclDecisionTreeClassifier',
      'SklearnRegGradientBoostingRegressor',
    ].map((name) => ({
      file: `sklearn_onnx_tests_2018/${name}.model.onnx`,
      kind: 'tree-ensemble',
      width: 2,
      rows: () => rowsOf(modelJson<NumpyJson>(`sklearn_onnx_tests_2018/${name}.data.json`)) as number[][],
      ort: name === 'SklearnRegGradientBoostingRegressor' ? { output: 'variable', column: 0 } : undefined,
    })),
    ...[
      'SklearnLinearRegression-Dec4',
      'SklearnLinearSVCBinary-NoProb',
      'SklearnLogitisticRegressionMulti',
    ].map((name) => ({
      file: `sklearn_onnx_tests_2018/${name}.model.onnx`,
      kind: 'linear',
      width: name === 'SklearnLinearRegression-Dec4' ? 4 : 3,
      rows: () => rowsOf(modelJson<NumpyJson>(`sklearn_onnx_tests_2018/${name}.data.json`)) as number[][],
      ort: name === 'SklearnLinearRegression-Dec4' ? { output: 'variable', column: 0 } : undefined,
    })),
    {
      file: 'sklearn_onnx_anomaly/sk_SGD_OneClass_SVM.onnx',
      kind: 'linear',
      width: 2,
      rows: () => randomRows(12, 2, -4, 4),
      ort: { output: 'scores', column: 0 },
    },
  ];

  for (const c of cases) {
    it(`${c.file}: ${c.kind}, exact`, async () => {
      const bytes = modelBytes(c.file);
      const explainer = Explainer.fromOnnx(bytes, c.opts);
      expect({
        kind: explainer.info.kind,
        exact: explainer.exact,
        notes: explainer.info.notes,
      }).toMatchObject({ kind: c.kind, exact: true });
      expect(explainer.featureNames).toHaveLength(c.width);
      const rows = c.rows().filter((r) => r.every((v) => v !== null));
      expect(rows.length).toBeGreaterThan(0);
      checkExact(explainer, rows);
      if (c.ort) await checkAgainstOrt(bytes, explainer, rows, c.ort.output, c.ort.column);
    });
  }

  it('treecl.onnx: the three class margins, softmaxed, are onnxruntime’s probabilities', async () => {
    const bytes = modelBytes('sklearn_onnx_docs/treecl.onnx');
    const rows = randomRows(8, 20, -3, 3, 11);
    const margins = [0, 1, 2].map((column) =>
      rows.map((r) => Explainer.fromOnnx(bytes, { width: 20, column }).explainRow(r).outputValue),
    );
    const proba = (await ortOutputs(bytes, rows))['proba_0'];
    rows.forEach((_, i) => {
      const m = margins.map((col) => col[i]);
      const top = Math.max(...m);
      const e = m.map((v) => Math.exp(v - top));
      const total = e.reduce((a, b) => a + b, 0);
      e.forEach((v, k) => expect(Math.abs(v / total - proba[i][k])).toBeLessThan(2e-5));
    });
    expect(Explainer.fromOnnx(bytes, { width: 20 }).info.link).toEqual({
      kind: 'post-transform',
      name: 'SOFTMAX',
    });
  });

  it('graphs with no exact explainer fall back to sampled permutations, marked approximate, that still sum exactly', async () => {
    const bytes = modelBytes('sklearn_onnx_anomaly/sk_OCSVM.onnx');
    const explainer = Explainer.fromOnnx(bytes, { samples: 16 });
    expect(explainer.exact).toBe(false);
    expect(explainer.info).toMatchObject({
      kind: 'other',
      method: 'permutation',
      approximate: true,
      outputSpace: 'score',
    });
    const session = await ort.InferenceSession.create(bytes);
    try {
      const score = async (rows: number[][]): Promise<number[]> => {
        const out = await session.run(
          { input: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 3]) },
          ['scores'],
        );
        return Array.from(out['scores'].data as Float32Array);
      };
      const [e] = await explainer.explainRows([[2.5, -1, 0.5]], score);
      expect(e.approximate).toBe(true);
      const [atRow] = await score([[2.5, -1, 0.5]]);
      const [atRef] = await score([[0, 0, 0]]);
      expect(e.outputValue).toBeCloseTo(atRow, 5);
      expect(e.baseValue).toBeCloseTo(atRef, 5);
      expect(Math.abs(sumOf(e) - (e.outputValue - e.baseValue))).toBeLessThan(1e-5);
      expect(e.attributions.every((a) => a.reference === 0)).toBe(true);
    } finally {
      await session.release();
    }
  });

  it('a graph that is not ONNX is a clear error', () => {
    expect(() => Explainer.fromOnnx(new Uint8Array([1, 2, 3, 4]))).toThrow(/not an ONNX model/);
  });
});

describe('explainers on the models the trainer writes', () => {
  const root = workspaceRoot();
  const hdfs = loadHdfsDeeplog(root);
  const testRows = [...hdfs.xTest.slice(0, 20), ...hdfs.xTest.slice(-20)];

  it('log-anomaly (the default boosted trees): TreeSHAP with the model’s covers, in logit space', async () => {
    const model = buildLogAnomalyModel({ root });
    const explainer = Explainer.fromOnnx(model.onnx);
    expect(explainer.info).toMatchObject({
      kind: 'tree-ensemble',
      method: 'tree-shap',
      outputSpace: 'logit',
      covers: 'model',
      link: { kind: 'sigmoid' },
    });
    expect(explainer.featureNames).toHaveLength(29);
    checkExact(explainer, testRows);
    await checkAgainstOrt(model.onnx, explainer, testRows, 'score', 0);
  });

  it('wifi-anomaly (the default isolation forest with its range guard): TreeSHAP over path lengths, in ln(score)', async () => {
    const { model, detector } = trainWifiAnomaly({ root });
    const explainer = Explainer.fromOnnx(model.onnx);
    expect(explainer.info).toMatchObject({
      kind: 'isolation-forest',
      outputSpace: 'log-score',
      covers: 'model',
      link: { kind: 'exp' },
    });
    const width = explainer.featureNames.length;
    const r = rng(3);
    // training-like rows and rows far outside the training range (the guard's side)
    const rows = [
      ...randomRows(20, width, 0, 3),
      ...randomRows(5, width, 0, 3).map((row) => row.map((v) => (r() < 0.2 ? v * 50 : v))),
    ];
    checkExact(explainer, rows);
    await checkAgainstOrt(model.onnx, explainer, rows, 'score', 0);
    expect(detector.threshold).toBeGreaterThan(0);
  });

  for (const algorithm of ['logreg', 'pca', 'iforest'] as Algorithm[]) {
    it(`log-anomaly trained as ${algorithm}: exact, and its output maps to the ONNX score`, async () => {
      const model = buildLogAnomalyModel({ root, algorithm });
      const explainer = Explainer.fromOnnx(model.onnx);
      expect(explainer.exact).toBe(true);
      checkExact(explainer, testRows);
      await checkAgainstOrt(model.onnx, explainer, testRows, 'score', 0);
    });
  }

  describe('six-feature twins (brute-force Shapley over all 64 coalitions)', () => {
    // the six columns that vary most in the training half
    const variance = hdfs.featureSchema
      ? hdfs.xTrain[0].map((_, j) => {
          const col = hdfs.xTrain.map((r) => r[j]);
          const mean = col.reduce((a, b) => a + b, 0) / col.length;
          return { j, v: col.reduce((s, x) => s + (x - mean) ** 2, 0) };
        })
      : [];
    const cols = variance
      .sort((a, b) => b.v - a.v)
      .slice(0, 6)
      .map((c) => c.j);
    const pick = (rows: number[][]): number[][] => rows.map((r) => cols.map((j) => r[j]));
    const X = pick(hdfs.xTrain);
    const normal = X.filter((_, i) => hdfs.yTrain[i] === 0);
    const rows = pick(testRows);
    const names = cols.map((j) => `E${j + 1}`);
    const twins = new Map<Algorithm, ReturnType<typeof trainDetector>>();
    const twin = (algorithm: Algorithm): ReturnType<typeof trainDetector> => {
      const supervised = algorithm === 'gbdt' || algorithm === 'logreg';
      const cached = twins.get(algorithm);
      if (cached) return cached;
      const d = trainDetector({
        algorithm,
        featureNames: names,
        X: supervised ? X : normal,
        y: supervised ? hdfs.yTrain : undefined,
        modelName: 'twin',
        docString: '',
        iforestRangeGuard: false,
        pca: algorithm === 'pca' ? { varianceRatio: 0.9, minScale: 1, transform: 'log1p' } : undefined,
      });
      twins.set(algorithm, d);
      return d;
    };
    for (const algorithm of ['gbdt', 'logreg', 'pca', 'iforest'] as Algorithm[]) {
      it(`${algorithm}`, async () => {
        const d = twin(algorithm);
        const explainer = Explainer.fromOnnx(d.onnx);
        expect(explainer.featureNames).toEqual(names);
        checkExact(explainer, rows);
        await checkAgainstOrt(d.onnx, explainer, rows, 'score', 0);
        const e = explainer.explainRow(rows[rows.length - 1]);
        if (algorithm !== 'gbdt' && algorithm !== 'iforest')
          expect(e.attributions.every((a) => a.reference !== undefined)).toBe(true);
      });
    }

    it('trees without nodes_hitrates are explained with uniform covers, still exactly', () => {
      const d = twin('gbdt');
      const withCovers = Explainer.fromOnnx(d.onnx);
      expect(withCovers.info.covers).toBe('model');
      const stripped = stripHitrates(d.onnx);
      const uniform = Explainer.fromOnnx(stripped);
      expect(uniform.info.covers).toBe('uniform');
      checkExact(uniform, rows);
      // same model, other expectation rule: same output, other base value
      const a = withCovers.explainRow(rows[0]);
      const b = uniform.explainRow(rows[0]);
      expect(b.outputValue).toBeCloseTo(a.outputValue, 9);
      expect(b.baseValue).not.toBeCloseTo(a.baseValue, 3);
    });
  });
});

function stripHitrates(bytes: Uint8Array): Uint8Array {
  const { onnx } = require('onnx-proto') as typeof import('onnx-proto');
  const model = onnx.ModelProto.decode(bytes);
  for (const node of model.graph?.node ?? [])
    node.attribute = (node.attribute ?? []).filter((a) => a.name !== 'nodes_hitrates');
  return onnx.ModelProto.encode(model).finish();
}
