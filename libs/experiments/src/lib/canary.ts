import { agreementOf } from './stats';
import { ArmCounts, summarizeArm } from './arm-stats';

/** Flagger's knobs: every `intervalSec` a check; pass → weight + stepWeight (up to maxWeight), pass at maxWeight → promote. */
export interface CanaryPolicy {
  stepWeight: number;
  maxWeight: number;
  intervalSec: number;
  /** failed checks (in total, as Flagger counts them) that roll the candidate back */
  failureThreshold: number;
}

/** What a check demands of a candidate over one interval. Absent optional criteria are not checked. */
export interface ExperimentCriteria {
  maxErrorRate: number;
  maxP99Ms: number;
  /** |candidate anomaly rate − control anomaly rate| */
  maxAnomalyRateDelta?: number;
  /** share of compared rows on which candidate and control agree */
  minAgreement?: number;
  /** requests the candidate must have served in the interval before the interval counts as a check */
  minSamples: number;
}

export type CanaryCriterion = 'errorRate' | 'p99Ms' | 'anomalyRateDelta' | 'agreement';

export interface FailedCriterion {
  criterion: CanaryCriterion;
  value: number;
  limit: number;
}

export interface CanaryState {
  weight: number;
  failedChecks: number;
}

export type CanaryAction = 'wait' | 'step' | 'hold' | 'promote' | 'rollback';

export interface CanaryDecision {
  action: CanaryAction;
  /** the candidate's weight after the decision (0 on rollback, 100 on promote) */
  weight: number;
  failedChecks: number;
  /** every criterion that failed in this check (empty when it passed or did not count) */
  failed: FailedCriterion[];
  reason: string;
}

/** Which criteria a candidate's interval counts fail, against the control's counts for the same interval. */
export function failedCriteria(criteria: ExperimentCriteria, control: ArmCounts, candidate: ArmCounts): FailedCriterion[] {
  const cand = summarizeArm(candidate);
  const ctrl = summarizeArm(control);
  const failed: FailedCriterion[] = [];
  if (cand.errorRate > criteria.maxErrorRate) failed.push({ criterion: 'errorRate', value: cand.errorRate, limit: criteria.maxErrorRate });
  if (cand.p99Ms > criteria.maxP99Ms) failed.push({ criterion: 'p99Ms', value: cand.p99Ms, limit: criteria.maxP99Ms });
  if (criteria.maxAnomalyRateDelta !== undefined && cand.rows > 0 && ctrl.rows > 0) {
    const delta = Math.abs(cand.anomalyRate - ctrl.anomalyRate);
    if (delta > criteria.maxAnomalyRateDelta) failed.push({ criterion: 'anomalyRateDelta', value: delta, limit: criteria.maxAnomalyRateDelta });
  }
  if (criteria.minAgreement !== undefined && candidate.agreement.compared > 0) {
    const agreement = agreementOf(candidate.agreement).agreement;
    if (agreement < criteria.minAgreement) failed.push({ criterion: 'agreement', value: agreement, limit: criteria.minAgreement });
  }
  return failed;
}

/**
 * One canary check. An interval in which the candidate served fewer than `minSamples` requests does not count
 * (`wait`), unless its errors alone already break `maxErrorRate` for the minimum sample (a candidate failing every
 * request must not hide behind low traffic). A failed check increments the count and holds the weight; at
 * `failureThreshold` failed checks the candidate is rolled back to weight 0.
 */
export function decideCanary(
  policy: CanaryPolicy,
  criteria: ExperimentCriteria,
  state: CanaryState,
  interval: { control: ArmCounts; candidate: ArmCounts },
): CanaryDecision {
  const { candidate, control } = interval;
  const enough = candidate.requests >= criteria.minSamples;
  const errorsAlone = candidate.errors > criteria.maxErrorRate * Math.max(criteria.minSamples, candidate.requests);
  if (!enough && !errorsAlone) {
    return { action: 'wait', weight: state.weight, failedChecks: state.failedChecks, failed: [], reason: `${candidate.requests} of ${criteria.minSamples} samples` };
  }
  const failed = failedCriteria(criteria, control, candidate);
  if (failed.length > 0) {
    const failedChecks = state.failedChecks + 1;
    const reason = failed.map(describeFailure).join('; ');
    if (failedChecks >= policy.failureThreshold) return { action: 'rollback', weight: 0, failedChecks, failed, reason };
    return { action: 'hold', weight: state.weight, failedChecks, failed, reason };
  }
  if (state.weight >= policy.maxWeight) {
    return { action: 'promote', weight: 100, failedChecks: state.failedChecks, failed: [], reason: `passed at maxWeight ${policy.maxWeight}` };
  }
  const weight = Math.min(policy.maxWeight, state.weight + policy.stepWeight);
  return { action: 'step', weight, failedChecks: state.failedChecks, failed: [], reason: `passed: ${state.weight} → ${weight}` };
}

export function describeFailure(f: FailedCriterion): string {
  const fmt = (x: number) => (Math.abs(x) < 10 ? x.toFixed(4) : x.toFixed(1));
  const op = f.criterion === 'agreement' ? '<' : '>';
  return `${f.criterion} ${fmt(f.value)} ${op} ${fmt(f.limit)}`;
}
