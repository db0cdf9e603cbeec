// Label-free PCA detectors for the HDFS sessions: which feature transform, explained-variance share, scale floor and
// SPE-limit rule, chosen by cross-validation inside the TRAIN half only (its normal sessions in 5 folds, its anomalous
// sessions as the positives every fold is scored on). The test half is never looked at here.
import { HDFS_V1_ANOMALY_PREVALENCE, PcaOptions, PcaTransform, pcaScores, trainPca } from '@loglens/training';

/** The SPE-limit quantile of the held-out rule: the same 1-in-1,000 flag share as the isolation forest's threshold. */
export const PCA_HELD_OUT_QUANTILE = 0.999;
export const PCA_SELECTION_FOLDS = 5;

export interface PcaCandidate {
  options: PcaOptions;
  /** Out-of-fold validation figures on the train half. */
  validation: {
    recall: number;
    falsePositives: number;
    normals: number;
    /** F1 with the train half's own class mix (2,796 normal : 8,419 anomalous). */
    f1: number;
    /** F1 with precision re-weighted to HDFS_v1's prevalence (the selection criterion). */
    f1AtPrevalence: number;
  };
}

export interface PcaSelection {
  best: PcaCandidate;
  /** Best candidate per transform (same criterion), for the ablation rows. */
  bestPerTransform: Record<PcaTransform, PcaCandidate>;
  table: PcaCandidate[];
}

export const PCA_TRANSFORMS: readonly PcaTransform[] = ['none', 'log1p', 'presence'];

/** Every candidate in grid order (ties go to the earlier, simpler one). */
export function pcaCandidateGrid(): PcaOptions[] {
  const out: PcaOptions[] = [];
  for (const transform of PCA_TRANSFORMS) {
    for (const varianceRatio of [0.95, 0.99, 0.999]) {
      for (const minScale of [0, 1]) {
        out.push({ transform, varianceRatio, minScale, threshold: { kind: 'q-statistic' } });
        out.push({ transform, varianceRatio, minScale, threshold: { kind: 'held-out-quantile', quantile: PCA_HELD_OUT_QUANTILE } });
      }
    }
  }
  return out;
}

/**
 * k-fold validation of one candidate: normal training row i is held out in fold i mod k and scored by a PCA fitted on
 * the other folds (whose own SPE limit comes from those folds only); every anomalous training row is scored by every
 * fold's model.
 */
export function validatePca(normal: number[][], anomalous: number[][], options: PcaOptions, folds = PCA_SELECTION_FOLDS): PcaCandidate['validation'] {
  let fp = 0;
  let tp = 0;
  for (let fold = 0; fold < folds; fold++) {
    const model = trainPca(
      normal.filter((_, i) => i % folds !== fold),
      options,
    );
    fp += pcaScores(
      normal.filter((_, i) => i % folds === fold),
      model,
    ).filter((s) => s >= 0.5).length;
    tp += pcaScores(anomalous, model).filter((s) => s >= 0.5).length;
  }
  const recall = tp / (folds * anomalous.length);
  const fpr = fp / normal.length;
  const f1Of = (positives: number, negatives: number): number => {
    const precision = recall * positives + fpr * negatives === 0 ? 0 : (recall * positives) / (recall * positives + fpr * negatives);
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  };
  return {
    recall,
    falsePositives: fp,
    normals: normal.length,
    f1: f1Of(anomalous.length, normal.length),
    f1AtPrevalence: f1Of(HDFS_V1_ANOMALY_PREVALENCE, 1 - HDFS_V1_ANOMALY_PREVALENCE),
  };
}

/** Runs the grid on the train half and returns the candidate with the best re-weighted validation F1. */
export function selectUnsupervisedPca(xTrain: number[][], yTrain: number[]): PcaSelection {
  const normal = xTrain.filter((_, i) => yTrain[i] === 0);
  const anomalous = xTrain.filter((_, i) => yTrain[i] === 1);
  const table = pcaCandidateGrid().map((options) => ({ options, validation: validatePca(normal, anomalous, options) }));
  const better = (a: PcaCandidate, b: PcaCandidate): PcaCandidate => (b.validation.f1AtPrevalence > a.validation.f1AtPrevalence ? b : a);
  const per = (t: PcaTransform): PcaCandidate => table.filter((c) => (c.options.transform ?? 'none') === t).reduce(better);
  return {
    best: table.reduce(better),
    bestPerTransform: { none: per('none'), log1p: per('log1p'), presence: per('presence') },
    table,
  };
}

/** Short label of a candidate: "presence, 0.999 / 0, held-out 99.9th pct". */
export function pcaCandidateLabel(o: PcaOptions): string {
  const rule = o.threshold?.kind === 'held-out-quantile' ? `held-out ${o.threshold.quantile * 100}th pct` : 'Q statistic';
  return `${o.transform ?? 'none'}, ${o.varianceRatio} / ${o.minScale}, ${rule}`;
}
