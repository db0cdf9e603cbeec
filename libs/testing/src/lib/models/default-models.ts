// The two models LogLens deploys on first start, rebuilt from data/ alone, deterministically (same bytes every run):
//   log-anomaly   gradient-boosted trees on per-block HDFS event counts (data/hdfs-deeplog, train half)
//   wifi-anomaly  isolation forest (with a training-range guard) on per-AP 5-minute WiFi windows of five simulated
//                 office days (tools/sim) mixed with the real samples of data/wifi
// CLI (tools/models/default-models.ts): node tools/ts-run.mjs tools/models/default-models.ts --out <dir>  → <dir>/<name>/{model.onnx,metadata.json}
import { WIFI_FEATURE_SCHEMA, featureNames } from '@loglens/features';
import { HDFS_V1_ANOMALY_PREVALENCE, PcaOptions, binaryMetrics, prevalenceAdjusted } from '@loglens/training';
import { workspaceRoot } from '../workspace';
import { Algorithm, Progress, SUPERVISED, TrainedDetector, trainDetector } from './detectors';
import { loadHdfsDeeplog } from './hdfs-deeplog-data';
import { ModelMetadata, modelMetadata } from './model-metadata';
import { WIFI_WINDOW_MS, loadWifiSamples, simulateWifiRows } from './wifi-data';
import { DEFAULT_SIM_START } from './wifi-simulator';

/** A model ready to register: ONNX bytes and the registry metadata. */
export interface DefaultModel {
  name: string;
  task: string;
  description: string;
  onnx: Uint8Array;
  metadata: ModelMetadata;
}

export interface BuildOptions {
  /** Workspace root (holding data/); found from this file or the working directory by default. */
  root?: string;
  onProgress?: Progress;
}

export const LOG_ANOMALY_DEFAULT_ALGORITHM: Algorithm = 'gbdt';
export const WIFI_ANOMALY_DEFAULT_ALGORITHM: Algorithm = 'iforest';
export const WIFI_TRAINING_DAYS = 5;
export const WIFI_TRAINING_SEED = 1;

/** Builds `log-anomaly` (HDFS) and `wifi-anomaly` (WiFi) with their default algorithms, in that order. */
export function buildDefaultModels(opts: BuildOptions = {}): DefaultModel[] {
  return [buildLogAnomalyModel(opts), buildWifiAnomalyModel(opts)];
}

/** The HDFS session detector; `algorithm` picks any of the four exported ones (default: boosted trees). */
export function buildLogAnomalyModel(
  opts: BuildOptions & { algorithm?: Algorithm; name?: string } = {},
): DefaultModel {
  const root = opts.root ?? workspaceRoot();
  const algorithm = opts.algorithm ?? LOG_ANOMALY_DEFAULT_ALGORITHM;
  const name = opts.name ?? 'log-anomaly';
  opts.onProgress?.('reading HDFS sessions', 0, 1);
  const data = loadHdfsDeeplog(root);
  opts.onProgress?.('reading HDFS sessions', 1, 1);
  const supervised = SUPERVISED[algorithm];
  const normalRows = data.xTrain.filter((_, i) => data.yTrain[i] === 0);
  const X = supervised ? data.xTrain : normalRows;
  const pca = algorithm === 'pca' ? selectPcaOptions(data.xTrain, data.yTrain) : undefined;
  const description =
    `${supervised ? 'Supervised' : 'Unsupervised'} ${algorithm === 'gbdt' ? 'gradient-boosted trees' : algorithm === 'logreg' ? 'logistic regression' : algorithm === 'pca' ? 'PCA reconstruction error' : 'isolation forest'} ` +
    'on per-session (HDFS block) counts of the 29 loghub HDFS templates E1..E29; score ≥ threshold = anomalous session.';
  const detector = trainDetector({
    algorithm,
    featureNames: featureNames(data.featureSchema),
    X,
    y: supervised ? data.yTrain : undefined,
    modelName: name,
    docString: description,
    metadataProps: { feature_schema_version: data.featureSchema.version },
    pca: pca?.options,
    onProgress: opts.onProgress,
  });
  const train = binaryMetrics(data.yTrain, detector.score(data.xTrain), detector.threshold);
  const test = binaryMetrics(data.yTest, detector.score(data.xTest), detector.threshold);
  return {
    name,
    task: 'log-anomaly',
    description,
    onnx: detector.onnx,
    metadata: modelMetadata({
      task: 'log-anomaly',
      description,
      featureSchema: data.featureSchema,
      detector,
      baselineRows: normalRows,
      // a session row counts lines per template column: the column sums are the normal sessions' template mix
      templateLines: Object.fromEntries(
        data.templates.map((t) => {
          const j = data.featureSchema.features.findIndex((f) => f.name === t.name);
          return [t.template, normalRows.reduce((sum, row) => sum + (row[j] ?? 0), 0)];
        }),
      ),
      trainingRows: X.length,
      metrics: {
        train,
        test,
        testAtHdfsPrevalence: prevalenceAdjusted(test, HDFS_V1_ANOMALY_PREVALENCE),
        note: 'test = second half of each class of the pooled DeepLog/logdeep sessions (75% anomalous); testAtHdfsPrevalence re-weights precision to HDFS_v1 (2.93% anomalous)',
      },
      window: { kind: 'session', key: 'hdfs-block-id', description: 'all events naming one HDFS block (blk_…) form a row' },
      dataset: `data/hdfs-deeplog (pooled split: train ${data.split.counts.train.normal} normal + ${data.split.counts.train.anomalous} anomalous sessions)`,
      supervised,
      extra: { templates: data.templates, ...(pca ? { hyperparameterSelection: pca.table } : {}) },
    }),
  };
}

/**
 * PCA's explained-variance share and scale floor, chosen on a validation split of the train half (its last 20% of
 * normal sessions and its anomalous ones) — never on the test half. The detector itself sees normal sessions only.
 */
export function selectPcaOptions(
  xTrain: number[][],
  yTrain: number[],
): { options: PcaOptions; table: Array<{ varianceRatio: number; minScale: number; f1: number }> } {
  const normal = xTrain.filter((_, i) => yTrain[i] === 0);
  const cut = Math.floor(normal.length * 0.8);
  const fit = normal.slice(0, cut);
  const xVal = [...normal.slice(cut), ...xTrain.filter((_, i) => yTrain[i] === 1)];
  const yVal = [...normal.slice(cut).map(() => 0), ...xTrain.filter((_, i) => yTrain[i] === 1).map(() => 1)];
  const table: Array<{ varianceRatio: number; minScale: number; f1: number }> = [];
  for (const varianceRatio of [0.9, 0.95, 0.99]) {
    for (const minScale of [0, 1]) {
      const d = trainDetector({ algorithm: 'pca', featureNames: fit[0].map((_, j) => `f${j}`), X: fit, modelName: 'validation', docString: '', pca: { varianceRatio, minScale } });
      table.push({ varianceRatio, minScale, f1: binaryMetrics(yVal, d.score(xVal), d.threshold).f1 });
    }
  }
  const best = table.reduce((a, b) => (b.f1 > a.f1 ? b : a));
  return { options: { varianceRatio: best.varianceRatio, minScale: best.minScale }, table };
}

/** The WiFi window detector trained on simulated normal days (default: isolation forest with range guard). */
export function buildWifiAnomalyModel(
  opts: BuildOptions & { algorithm?: Algorithm; name?: string; days?: number; seed?: number } = {},
): DefaultModel {
  return trainWifiAnomaly(opts).model;
}

/** {@link buildWifiAnomalyModel} plus the TypeScript twin of its graph (for the evaluation's parity check). */
export function trainWifiAnomaly(
  opts: BuildOptions & { algorithm?: Algorithm; name?: string; days?: number; seed?: number } = {},
): { model: DefaultModel; detector: TrainedDetector } {
  const root = opts.root ?? workspaceRoot();
  const algorithm = opts.algorithm ?? WIFI_ANOMALY_DEFAULT_ALGORITHM;
  if (SUPERVISED[algorithm]) throw new Error(`wifi-anomaly learns normal behaviour only: ${algorithm} needs labels`);
  const name = opts.name ?? 'wifi-anomaly';
  const days = opts.days ?? WIFI_TRAINING_DAYS;
  const seed = opts.seed ?? WIFI_TRAINING_SEED;
  opts.onProgress?.(`simulating ${days} office days, parsing, windowing`, 0, 1);
  const { sim, rows } = simulateWifiRows({ seed, days, samples: loadWifiSamples(root) });
  opts.onProgress?.(`simulating ${days} office days, parsing, windowing`, 1, 1);
  const X = rows.map((r) => r.vector);
  const description =
    `Unsupervised ${algorithm === 'iforest' ? 'isolation forest (with training-range guard)' : 'PCA reconstruction error'} on ` +
    'per-AP 5-minute WiFi windows (auth/assoc/handshake/EAP/DHCP failures, deauth/disassoc by reason class, roams, ' +
    'AP up/down, RSSI/SNR statistics, radio-management, security, other-failure and normal-lifecycle events of the ' +
    'hostapd vocabulary, log-scaled count of lines no rule knows); trained on simulated normal office days mixed with ' +
    'real hostapd and link samples.';
  const detector = trainDetector({
    algorithm,
    featureNames: featureNames(WIFI_FEATURE_SCHEMA),
    X,
    modelName: name,
    docString: description,
    metadataProps: { feature_schema_version: WIFI_FEATURE_SCHEMA.version },
    seed,
    onProgress: opts.onProgress,
  });
  const flagged = detector.score(X).filter((s) => s >= detector.threshold).length;
  const model: DefaultModel = {
    name,
    task: 'wifi-anomaly',
    description,
    onnx: detector.onnx,
    metadata: modelMetadata({
      task: 'wifi-anomaly',
      description,
      featureSchema: WIFI_FEATURE_SCHEMA,
      detector,
      baselineRows: X,
      trainingRows: X.length,
      metrics: {
        train: { windows: X.length, flagged, flaggedShare: flagged / X.length, lines: sim.lines.length },
        note: 'no labels in training; incident recall and false-positive rate per incident type are in docs/quality.md (npm run eval)',
      },
      window: { kind: 'tumbling', sizeMs: WIFI_WINDOW_MS, by: 'ap', description: 'per AP (hostapd host/interface, or the AP a BSSID belongs to), aligned 5-minute windows' },
      dataset: `libs/testing/src/lib/models/wifi-simulator.ts seed ${seed}, ${days} days from ${new Date(DEFAULT_SIM_START).toISOString().slice(0, 10)}, ${sim.aps.length} APs + lab AP replaying data/wifi/hostapd_linuxrotuer.log`,
      supervised: false,
    }),
  };
  return { model, detector };
}
