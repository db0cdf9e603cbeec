// The registry metadata every trained model carries: what the agents need to build its input rows (feature schema,
// window), how to read its output (threshold), the drift baseline, and how it was trained and how well it did.
import { buildReferenceProfile, type ReferenceProfile } from '@loglens/drift';
import { FeatureSchema } from '@loglens/features';
import { BinaryMetrics, DEFAULT_BASELINE_QUANTILES, featureQuantiles } from '@loglens/training';
import { ALGORITHM_NAMES, Algorithm, ScalerInfo, TrainedDetector } from './detectors';

/** How an agent groups events into the rows this model scores. */
export type WindowSpec =
  | { kind: 'session'; key: string; description: string }
  | { kind: 'tumbling'; sizeMs: number; by: 'ap' | 'station' | 'source'; description: string };

export interface ModelMetadata {
  task: string;
  description: string;
  featureSchema: FeatureSchema;
  inputName: 'features';
  scoreOutput: 'score';
  threshold: number;
  thresholdRule: string;
  scaler: ScalerInfo;
  baseline: { quantiles: number[]; perFeature: Record<string, number[]> };
  /** the drift reference: decile histograms of the baseline rows, their scores and flagged share (libs/drift) */
  referenceProfile: ReferenceProfile;
  metrics: Record<string, BinaryMetrics | Record<string, number> | string>;
  window: WindowSpec;
  training: {
    dataset: string;
    rows: number;
    algorithm: Algorithm;
    algorithmName: string;
    supervised: boolean;
    params: Record<string, unknown>;
    // a timestamp would make every rebuild produce different bytes
    trainedAt?: never;
  };
  [extra: string]: unknown;
}

/**
 * Assembles a model's metadata; the drift baseline's quantiles and the reference profile come from `baselineRows`
 * (normal rows: what live traffic should look like), scored by the detector itself.
 */
export function modelMetadata(p: {
  task: string;
  description: string;
  featureSchema: FeatureSchema;
  detector: TrainedDetector;
  baselineRows: number[][];
  /** Rows the detector was fitted on (all labelled rows for supervised ones, normal rows otherwise). */
  trainingRows: number;
  metrics: ModelMetadata['metrics'];
  window: WindowSpec;
  dataset: string;
  supervised: boolean;
  /** lines per template text in the baseline rows, for template drift and the unseen-template rate */
  templateLines?: Record<string, number>;
  extra?: Record<string, unknown>;
}): ModelMetadata {
  const quantiles = [...DEFAULT_BASELINE_QUANTILES];
  const perFeature = featureQuantiles(p.baselineRows, quantiles);
  return {
    task: p.task,
    description: p.description,
    featureSchema: p.featureSchema,
    inputName: 'features',
    scoreOutput: 'score',
    threshold: p.detector.threshold,
    thresholdRule: p.detector.thresholdRule,
    scaler: p.detector.scaler,
    baseline: { quantiles, perFeature: Object.fromEntries(p.featureSchema.features.map((f, j) => [f.name, perFeature[j]])) },
    referenceProfile: buildReferenceProfile({
      featureNames: p.featureSchema.features.map((f) => f.name),
      rows: p.baselineRows,
      scores: p.detector.score(p.baselineRows),
      threshold: p.detector.threshold,
      templates: p.templateLines,
    }),
    metrics: p.metrics,
    window: p.window,
    training: {
      dataset: p.dataset,
      rows: p.trainingRows,
      algorithm: p.detector.algorithm,
      algorithmName: ALGORITHM_NAMES[p.detector.algorithm],
      supervised: p.supervised,
      params: p.detector.params,
    },
    ...p.extra,
  };
}
