import { ArmCounts, ArmSummary, summarizeArm } from './arm-stats';
import { ExperimentCriteria, failedCriteria, FailedCriterion } from './canary';
import { Agreement, agreementOf, mannWhitneyU, MannWhitneyResult, ProportionTest, twoProportionZTest } from './stats';

/** A candidate against the control: the per-arm figures, the tests with their sample sizes, the agreement. */
export interface ArmComparison {
  version: string;
  /** anomaly rate over scored rows (windows): candidate − control */
  anomalyRate: ProportionTest;
  /** error rate over requests: candidate − control */
  errorRate: ProportionTest;
  /** latency: U of the candidate's sample against the control's */
  latency: MannWhitneyResult;
  agreement: Agreement;
  /** criteria the candidate fails over the whole experiment */
  failed: FailedCriterion[];
}

export interface ExperimentReportBody {
  arms: ArmSummary[];
  comparisons: ArmComparison[];
  /** the arm to keep: a candidate that meets every criterion and is not significantly worse, else the control */
  recommendation: { winner: string | null; reason: string };
  /** 'z-test' for the fixed-horizon p-values, 'msprt' for the always-valid ones the recommendation uses */
  method: string;
  alpha: number;
}

/**
 * Builds the comparison of every candidate with the control. The recommendation reads the always-valid (mSPRT)
 * p-values, since a report is read many times while an experiment runs; the fixed-horizon z-test p-values are
 * reported beside them for a single planned look.
 */
export function buildReport(control: ArmCounts, candidates: ArmCounts[], criteria: ExperimentCriteria, alpha = 0.05): ExperimentReportBody {
  const comparisons = candidates.map((c) => compareArms(control, c, criteria));
  return {
    arms: [summarizeArm(control), ...candidates.map(summarizeArm)],
    comparisons,
    recommendation: recommend(control, candidates, comparisons, criteria, alpha),
    method: 'two-proportion z-test (fixed horizon) + mixture SPRT always-valid p-value (tau 0.05); Mann-Whitney U (normal approximation) for latency',
    alpha,
  };
}

export function compareArms(control: ArmCounts, candidate: ArmCounts, criteria: ExperimentCriteria): ArmComparison {
  return {
    version: candidate.version,
    anomalyRate: twoProportionZTest(control.anomalies, control.rows, candidate.anomalies, candidate.rows),
    errorRate: twoProportionZTest(control.errors, control.requests, candidate.errors, candidate.requests),
    latency: mannWhitneyU(control.latencies, candidate.latencies),
    agreement: agreementOf(candidate.agreement),
    failed: failedCriteria(criteria, control, candidate),
  };
}

function recommend(
  control: ArmCounts,
  candidates: ArmCounts[],
  comparisons: ArmComparison[],
  criteria: ExperimentCriteria,
  alpha: number,
): { winner: string | null; reason: string } {
  if (control.requests < criteria.minSamples || candidates.some((c) => c.requests < criteria.minSamples)) {
    return { winner: null, reason: `inconclusive: every arm needs ${criteria.minSamples} requests` };
  }
  const eligible = comparisons.filter(
    (c) =>
      c.failed.length === 0 &&
      !(c.errorRate.difference > 0 && c.errorRate.sequentialPValue < alpha) &&
      !(c.latency.effect > 0.5 && c.latency.pValue < alpha),
  );
  if (eligible.length === 0) return { winner: control.version, reason: 'every candidate fails a criterion or is significantly worse' };
  // among candidates that are no worse: the lowest error rate, then the lowest latency
  const best = [...eligible].sort((a, b) => a.errorRate.rateB - b.errorRate.rateB || a.latency.effect - b.latency.effect)[0];
  return { winner: best.version, reason: `meets every criterion and is not significantly worse than ${control.version}` };
}
