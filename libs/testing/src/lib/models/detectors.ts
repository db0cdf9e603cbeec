// One entry point per exported algorithm: train in TypeScript, write the ONNX graph with @loglens/onnx-format, and
// keep a TypeScript scorer that computes exactly what the graph computes (the parity specs prove it).
import {
  writeGradientBoostingModel,
  writeIsolationForestModel,
  writeLogisticRegressionModel,
  writePcaModel,
} from '@loglens/onnx-format';
import {
  PcaOptions,
  applyStandardScaler,
  bestF1Threshold,
  fitStandardScaler,
  isolationForestScores,
  pcaResidualProjector,
  pcaScores,
  predictGradientBoosting,
  predictLogistic,
  quantileOfSorted,
  trainGradientBoosting,
  trainIsolationForest,
  trainLogisticRegression,
  trainPca,
} from '@loglens/training';

export const ALGORITHMS = ['gbdt', 'logreg', 'pca', 'iforest'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Whether an algorithm learns from labels or from normal rows alone. */
export const SUPERVISED: Readonly<Record<Algorithm, boolean>> = { gbdt: true, logreg: true, pca: false, iforest: false };

export const ALGORITHM_NAMES: Readonly<Record<Algorithm, string>> = {
  gbdt: 'gradient-boosted trees',
  logreg: 'logistic regression',
  pca: 'PCA reconstruction error',
  iforest: 'isolation forest',
};

/** Share of training rows an unsupervised detector may flag: its label-free threshold is this quantile's complement. */
export const UNSUPERVISED_FLAG_SHARE = 0.001;

export type Progress = (stage: string, done: number, total: number) => void;

/** How the graph standardises its input, for the metadata. */
export type ScalerInfo =
  | { kind: 'standard'; mean: number[]; scale: number[]; appliedInGraph: true }
  | { kind: 'none'; reason: string };

export interface TrainedDetector {
  algorithm: Algorithm;
  onnx: Uint8Array;
  /** Scores rows exactly as the ONNX graph does. */
  score(X: readonly (readonly number[])[]): number[];
  threshold: number;
  /** How the threshold was chosen. */
  thresholdRule: string;
  scaler: ScalerInfo;
  params: Record<string, unknown>;
}

export interface DetectorInput {
  algorithm: Algorithm;
  featureNames: string[];
  /** Supervised: every training row with its label. Unsupervised: normal rows only (y ignored). */
  X: number[][];
  y?: number[];
  modelName: string;
  docString: string;
  metadataProps?: Record<string, string>;
  seed?: number;
  pca?: PcaOptions;
  /** Isolation forest only: add the training-range guard (default true). */
  iforestRangeGuard?: boolean;
  onProgress?: Progress;
}

const NO_SCALER: ScalerInfo = { kind: 'none', reason: 'tree ensembles split on raw values; scaling changes nothing' };

/** Trains one detector and writes its ONNX bytes (deterministic for the same input). */
export function trainDetector(input: DetectorInput): TrainedDetector {
  const { algorithm, featureNames, X, modelName, docString } = input;
  const common = { featureNames, modelName, docString, metadataProps: input.metadataProps };
  const progress = (stage: string) => (done: number, total: number) => input.onProgress?.(stage, done, total);
  const labels = (): number[] => {
    if (!input.y) throw new Error(`${algorithm} needs labels`);
    return input.y;
  };
  switch (algorithm) {
    case 'gbdt': {
      const params = { trees: 100, maxDepth: 3, learningRate: 0.1, l2: 1, minChildWeight: 1 };
      const model = trainGradientBoosting(X, labels(), { ...params, onProgress: progress('boosting trees') });
      const score = (rows: readonly (readonly number[])[]): number[] => predictGradientBoosting(rows, model);
      const { threshold } = bestF1Threshold(labels(), score(X));
      const onnx = writeGradientBoostingModel({ ...common, trees: model.trees, base: model.base });
      return { algorithm, onnx, score, threshold, thresholdRule: 'best F1 on the training rows', scaler: NO_SCALER, params };
    }
    case 'logreg': {
      const params = { l2: 1e-3, classWeight: 'balanced' as const };
      const scaler = fitStandardScaler(X);
      input.onProgress?.('logistic regression (Newton)', 0, 1);
      const model = trainLogisticRegression(applyStandardScaler(X, scaler), labels(), params);
      input.onProgress?.('logistic regression (Newton)', 1, 1);
      const score = (rows: readonly (readonly number[])[]): number[] => predictLogistic(rows, model, scaler);
      const { threshold } = bestF1Threshold(labels(), score(X));
      const onnx = writeLogisticRegressionModel({ ...common, mean: scaler.mean, scale: scaler.scale, weights: model.weights, bias: model.bias });
      return {
        algorithm,
        onnx,
        score,
        threshold,
        thresholdRule: 'best F1 on the training rows',
        scaler: { kind: 'standard', mean: scaler.mean, scale: scaler.scale, appliedInGraph: true },
        params: { ...params, iterations: model.iterations, converged: model.converged },
      };
    }
    case 'pca': {
      const options = { varianceRatio: 0.95, minScale: 0, ...input.pca };
      input.onProgress?.('PCA (Jacobi eigen-decomposition)', 0, 1);
      const model = trainPca(X, options);
      input.onProgress?.('PCA (Jacobi eigen-decomposition)', 1, 1);
      const score = (rows: readonly (readonly number[])[]): number[] => pcaScores(rows, model);
      const transform = options.transform ?? 'none';
      const onnx = writePcaModel({
        ...common,
        ...(transform === 'none' ? {} : { transform }),
        mean: model.mean,
        scale: model.scale,
        residualProjector: pcaResidualProjector(model),
        qThreshold: model.speLimit,
      });
      const rule = options.threshold ?? { kind: 'q-statistic' as const };
      return {
        algorithm,
        onnx,
        score,
        threshold: 0.5,
        thresholdRule:
          rule.kind === 'q-statistic'
            ? 'Q statistic (Jackson & Mudholkar, c_α 3.2905): score SPE/(SPE+Q) ≥ 0.5; no labels'
            : `the ${rule.quantile * 100}th percentile of ${rule.folds ?? 5}-fold out-of-fold training SPEs: score SPE/(SPE+limit) ≥ 0.5; no labels`,
        scaler: { kind: 'standard', mean: model.mean, scale: model.scale, appliedInGraph: true },
        params: {
          ...options,
          components: model.components.length,
          explainedVarianceRatio: model.explainedVarianceRatio,
          qThreshold: model.qThreshold,
          speLimit: model.speLimit,
        },
      };
    }
    case 'iforest': {
      const params = { trees: 100, sampleSize: 256, seed: input.seed ?? 1, rangeGuard: input.iforestRangeGuard ?? true };
      const forest = trainIsolationForest(X, { ...params, onProgress: progress('isolation trees') });
      const score = (rows: readonly (readonly number[])[]): number[] => isolationForestScores(rows, forest);
      const sorted = score(X).sort((a, b) => a - b);
      const threshold = quantileOfSorted(sorted, 1 - UNSUPERVISED_FLAG_SHARE);
      const onnx = writeIsolationForestModel({ ...common, trees: forest.trees, normalizer: forest.normalizer, guard: forest.guard });
      return {
        algorithm,
        onnx,
        score,
        threshold,
        thresholdRule: `the ${(1 - UNSUPERVISED_FLAG_SHARE) * 100}th percentile of the training scores; no labels`,
        scaler: NO_SCALER,
        params: { ...params, normalizer: forest.normalizer },
      };
    }
  }
}
