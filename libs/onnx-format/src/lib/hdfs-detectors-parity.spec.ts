import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import {
  binaryMetrics,
  countEvents,
  isolationForestScores,
  pcaResidualProjector,
  pcaScores,
  predictGradientBoosting,
  splitHdfsDeeplog,
  trainGradientBoosting,
  trainIsolationForest,
  trainPca,
} from '@loglens/training';
import { inspectOnnx } from './inspect-onnx';
import { writePcaModel } from './pca-model';
import { writeGradientBoostingModel, writeIsolationForestModel } from './tree-ensemble-model';

function dataDir(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return path.join(dir, 'data/hdfs-deeplog');
  }
  throw new Error('no nx.json above the spec');
}

const gz = (file: string): string => gunzipSync(readFileSync(path.join(dataDir(), `${file}.gz`))).toString('utf8');

// Every exported detector trained on the HDFS_v1 sessions of data/hdfs-deeplog, written with this library, run in
// onnxruntime-node and compared with the TypeScript model on the held-out test half.
describe('ONNX exports of the HDFS detectors score as their TypeScript models', () => {
  const split = splitHdfsDeeplog({
    hdfsTrain: gz('hdfs_train'),
    hdfsTestAbnormal: gz('hdfs_test_abnormal'),
    robustLogCsvs: [gz('robust_log_train.csv'), gz('robust_log_valid.csv')],
  });
  const keys = Array.from({ length: 29 }, (_, i) => String(i + 1));
  const featureNames = keys.map((k) => `E${k}`);
  const xTrain = split.train.map((s) => countEvents(s.keys, keys));
  const yTrain = split.train.map((s) => s.label);
  const xNormal = xTrain.filter((_, i) => yTrain[i] === 0);
  const xTest = split.test.map((s) => countEvents(s.keys, keys));
  const yTest = split.test.map((s) => s.label);

  async function runOnnx(bytes: Uint8Array, rows: number[][]): Promise<number[]> {
    const session = await ort.InferenceSession.create(bytes);
    try {
      const x = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, featureNames.length]);
      const { score } = await session.run({ features: x });
      expect(score.dims).toEqual([rows.length, 1]);
      return Array.from(score.data as Float32Array);
    } finally {
      await session.release();
    }
  }

  const maxAbsDiff = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

  it('has the pooled 50/50 split the evaluation reports', () => {
    expect(split.counts.train).toEqual({ normal: 2796, anomalous: 8419 });
    expect(split.counts.test).toEqual({ normal: 2797, anomalous: 8419 });
  });

  it.each([false, true])('isolation forest (TreeEnsembleRegressor, ml opset 3; range guard %s): ONNX within 1e-5 of TypeScript on 11,216 held-out rows', async (rangeGuard) => {
    const forest = trainIsolationForest(xNormal, { trees: 100, sampleSize: 256, seed: 7, rangeGuard });
    const bytes = writeIsolationForestModel({ featureNames, trees: forest.trees, normalizer: forest.normalizer, guard: forest.guard });
    const info = inspectOnnx(bytes);
    expect(info.opsets).toEqual(expect.arrayContaining([{ domain: 'ai.onnx.ml', version: 3 }]));
    expect(info.opTypes).toContain('TreeEnsembleRegressor');
    const ts = isolationForestScores(xTest, forest);
    const onnx = await runOnnx(bytes, xTest);
    expect(maxAbsDiff(ts, onnx)).toBeLessThan(1e-5);
    if (rangeGuard) expect(ts.some((v) => v > 0.9)).toBe(true);
  });

  it('gradient-boosted trees (TreeEnsembleRegressor + Sigmoid): ONNX within 1e-5 of TypeScript, same decisions', async () => {
    const model = trainGradientBoosting(xTrain, yTrain, { trees: 40, maxDepth: 3 });
    const bytes = writeGradientBoostingModel({ featureNames, trees: model.trees, base: model.base });
    const ts = predictGradientBoosting(xTest, model);
    const onnx = await runOnnx(bytes, xTest);
    expect(maxAbsDiff(ts, onnx)).toBeLessThan(1e-5);
    expect(binaryMetrics(yTest, onnx, 0.5)).toEqual(binaryMetrics(yTest, ts, 0.5));
    expect(binaryMetrics(yTest, ts, 0.5).f1).toBeGreaterThan(0.99);
  });

  it('PCA reconstruction error (Sub, Div, MatMul, ReduceSum): ONNX within 1e-5 of TypeScript, same decisions', async () => {
    const pca = trainPca(xNormal, { varianceRatio: 0.99, minScale: 1 });
    const bytes = writePcaModel({
      featureNames,
      mean: pca.mean,
      scale: pca.scale,
      residualProjector: pcaResidualProjector(pca),
      qThreshold: pca.qThreshold,
    });
    const ts = pcaScores(xTest, pca);
    const onnx = await runOnnx(bytes, xTest);
    expect(maxAbsDiff(ts, onnx)).toBeLessThan(1e-5);
    expect(binaryMetrics(yTest, onnx, 0.5)).toEqual(binaryMetrics(yTest, ts, 0.5));
  });

  it.each([
    ['presence', 0.999, 0],
    ['log1p', 0.999, 1],
  ] as const)(
    'PCA on %s-transformed counts with a held-out-quantile limit (variance %s, floor %s): ONNX within 1e-5 of TypeScript, same decisions',
    async (transform, varianceRatio, minScale) => {
      const pca = trainPca(xNormal, { transform, varianceRatio, minScale, threshold: { kind: 'held-out-quantile', quantile: 0.999 } });
      expect(pca.speLimit).not.toBe(pca.qThreshold);
      const bytes = writePcaModel({
        featureNames,
        transform,
        mean: pca.mean,
        scale: pca.scale,
        residualProjector: pcaResidualProjector(pca),
        qThreshold: pca.speLimit,
      });
      expect(inspectOnnx(bytes).opTypes).toEqual(
        expect.arrayContaining(transform === 'presence' ? ['Greater', 'Cast', 'MatMul'] : ['Add', 'Log', 'MatMul']),
      );
      // held-out rows of both halves: the test half and the training half's anomalous sessions
      const rows = [...xTest, ...xTrain.filter((_, i) => yTrain[i] === 1)];
      const labels = [...yTest, ...yTrain.filter((y) => y === 1)];
      const ts = pcaScores(rows, pca);
      const onnx = await runOnnx(bytes, rows);
      expect(maxAbsDiff(ts, onnx)).toBeLessThan(1e-5);
      expect(binaryMetrics(labels, onnx, 0.5)).toEqual(binaryMetrics(labels, ts, 0.5));
    },
  );

  it('PCA adds the log1p step only when asked (no transform means no Log node)', () => {
    const pca = trainPca(xNormal, { varianceRatio: 0.99 });
    const base = { featureNames, mean: pca.mean, scale: pca.scale, residualProjector: pcaResidualProjector(pca), qThreshold: pca.speLimit };
    expect(inspectOnnx(writePcaModel(base)).opTypes).not.toContain('Log');
    expect(inspectOnnx(writePcaModel({ ...base, transform: 'log1p' })).opTypes).toContain('Log');
  });
});

// Continuous, negative and fractional values (dBm, %, bit/s) stress the float32 thresholds more than counts do: the
// real wireless-LQE link telemetry of data/wifi, one link to train on and another held out.
describe('ONNX isolation forest on real WiFi link telemetry scores as TypeScript', () => {
  const columns = ['receiver_sender_RSSI', 'receiver_sender_SNR', 'receiver_noise', 'packet_drop_percentage', 'bits_per_second', 'jitter_ms'];
  const rows = (file: string): number[][] => {
    const [header, ...lines] = readFileSync(path.join(dataDir(), '../wifi/wireless_lqe', file), 'utf8').trim().split('\n').map((l) => l.split(','));
    const at = columns.map((c) => header.indexOf(c));
    return lines.map((l) => at.map((i) => Number(l[i])));
  };

  it('within 1e-5 on 600 held-out rows, with and without the range guard', async () => {
    const train = rows('s1_s4_head600.csv');
    const heldOut = rows('s3_s1_head600.csv');
    for (const rangeGuard of [false, true]) {
      const forest = trainIsolationForest(train, { seed: 3, rangeGuard });
      const bytes = writeIsolationForestModel({ featureNames: columns, trees: forest.trees, normalizer: forest.normalizer, guard: forest.guard });
      const session = await ort.InferenceSession.create(bytes);
      const { score } = await session.run({ features: new ort.Tensor('float32', Float32Array.from(heldOut.flat()), [heldOut.length, columns.length]) });
      await session.release();
      const ts = isolationForestScores(heldOut, forest);
      const onnx = Array.from(score.data as Float32Array);
      expect(Math.max(...ts.map((v, i) => Math.abs(v - onnx[i])))).toBeLessThan(1e-5);
    }
  });
});
