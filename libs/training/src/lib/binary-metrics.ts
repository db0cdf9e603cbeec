import { checkLabels } from './validate';

export interface BinaryMetrics {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Confusion counts and precision/recall/F1/accuracy when score ≥ threshold means positive (0 where undefined). */
export function binaryMetrics(
  yTrue: readonly number[],
  scores: readonly number[],
  threshold: number,
): BinaryMetrics {
  checkLabels(yTrue, scores.length);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const predicted = scores[i] >= threshold;
    if (yTrue[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  return {
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    f1: tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn),
    accuracy: (tp + tn) / yTrue.length,
    tp,
    fp,
    tn,
    fn,
  };
}

/** The threshold maximising F1, halfway between the last score flagged and the next lower one (highest wins ties). */
export function bestF1Threshold(
  yTrue: readonly number[],
  scores: readonly number[],
): { threshold: number; f1: number } {
  checkLabels(yTrue, scores.length);
  const positives = yTrue.reduce((a, b) => a + b, 0);
  if (positives === 0) throw new RangeError('F1 is undefined without positive labels');
  if (!scores.every(Number.isFinite)) throw new RangeError('scores contain a non-finite value');
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  let tp = 0;
  let fp = 0;
  let best = { threshold: scores[order[0]], f1: -1 };
  for (let k = 0; k < order.length; ) {
    const s = scores[order[k]];
    // every row with an equal score lands on the same side of any threshold
    while (k < order.length && scores[order[k]] === s) {
      if (yTrue[order[k]] === 1) tp++;
      else fp++;
      k++;
    }
    const f1 = (2 * tp) / (tp + fp + positives);
    if (f1 > best.f1) {
      // the midpoint leaves a margin on both sides, so float32 rounding of served scores rarely flips a decision
      best = { threshold: k < order.length ? (s + scores[order[k]]) / 2 : s, f1 };
    }
  }
  return best;
}

/**
 * Precision and F1 a detector with this recall and false-positive rate would reach where a share `prevalence` of
 * rows is positive: for test sets whose class mix differs from the real one (the pooled HDFS split is 75% anomalous).
 */
export function prevalenceAdjusted(m: BinaryMetrics, prevalence: number): { precision: number; f1: number } {
  const negatives = m.fp + m.tn;
  const fpr = negatives === 0 ? 0 : m.fp / negatives;
  const tpMass = m.recall * prevalence;
  const fpMass = fpr * (1 - prevalence);
  const precision = tpMass + fpMass === 0 ? 0 : tpMass / (tpMass + fpMass);
  const f1 = precision + m.recall === 0 ? 0 : (2 * precision * m.recall) / (precision + m.recall);
  return { precision, f1 };
}
