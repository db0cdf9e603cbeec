import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  applyStandardScaler,
  bestF1Threshold,
  binaryMetrics,
  countEvents,
  fitStandardScaler,
  parseHdfsSessions,
  parseHdfsTemplates,
  predictLogistic,
  trainLogisticRegression,
} from '@loglens/training';
import { inspectOnnx } from './inspect-onnx';
import { writeLogisticRegressionModel } from './logistic-regression-model';

function workspaceRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
  }
  throw new Error('no nx.json above the spec');
}

describe('logistic regression trained on HDFS sessions', () => {
  const dataDir = path.join(workspaceRoot(), 'data/hdfs-100k-sessions');
  const sessions = parseHdfsSessions(readFileSync(path.join(dataDir, 'hdfs_100k_sessions.csv'), 'utf8'));
  const featureNames = parseHdfsTemplates(
    readFileSync(path.join(dataDir, 'hdfs_100k_templates.csv'), 'utf8'),
  ).map((t) => t.eventId);
  const train = sessions.filter((s) => s.split === 'train');
  const test = sessions.filter((s) => s.split === 'test');
  const xTrain = train.map((s) => countEvents(s.events, featureNames));
  const yTrain = train.map((s) => s.label);
  const xTest = test.map((s) => countEvents(s.events, featureNames));
  const yTest = test.map((s) => s.label);

  const scaler = fitStandardScaler(xTrain);
  const model = trainLogisticRegression(applyStandardScaler(xTrain, scaler), yTrain, {
    l2: 1e-3,
    classWeight: 'balanced',
  });
  const bytes = writeLogisticRegressionModel({ featureNames, ...scaler, ...model });
  const tsScores = predictLogistic(xTest, model, scaler);
  const { threshold } = bestF1Threshold(yTrain, predictLogistic(xTrain, model, scaler));

  let session: ort.InferenceSession;
  let ortScores: number[];

  beforeAll(async () => {
    session = await ort.InferenceSession.create(bytes);
    const x = new ort.Tensor('float32', Float32Array.from(xTest.flat()), [xTest.length, featureNames.length]);
    const { score } = await session.run({ features: x });
    expect(score.dims).toEqual([xTest.length, 1]);
    ortScores = Array.from(score.data as Float32Array);
  });

  afterAll(async () => {
    await session?.release();
  });

  it('has the 7,940 sessions and T1..T19 features the dataset documents', () => {
    expect([train.length, test.length]).toEqual([6352, 1588]);
    expect(featureNames).toEqual(Array.from({ length: 19 }, (_, i) => `T${i + 1}`));
    expect(model.converged).toBe(true);
    expect(inspectOnnx(bytes).inputs[0].shape).toEqual(['N', 19]);
  });

  it('scores held-out rows in onnxruntime-node within 1e-5 of predictLogistic', () => {
    const maxDiff = Math.max(...ortScores.map((s, i) => Math.abs(s - tsScores[i])));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('makes the same decisions at the train-chosen threshold in ONNX as in TypeScript', () => {
    expect(binaryMetrics(yTest, ortScores, threshold)).toEqual(binaryMetrics(yTest, tsScores, threshold));
  });

  it('reaches the F1 that event counts allow on the test split', () => {
    // train has only 15 distinct count vectors and most anomalous blocks share theirs with far more normal ones (the
    // evidence lies beyond the first 100k log lines): labelling each vector by its majority class caps F1 at 0.649 on
    // train and 0.690 on test, which this model reaches (test precision 1.0, recall 0.526)
    const m = binaryMetrics(yTest, ortScores, threshold);
    expect(m.f1).toBeGreaterThan(0.65);
    expect(m.precision).toBeGreaterThan(0.95);
  });
});
