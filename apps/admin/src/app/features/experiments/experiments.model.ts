import type {
  ExperimentDto,
  ExperimentKind,
  ExperimentState,
  StickinessKey,
} from '@loglens/contracts/protocol';

/*
 * The console's copies of the experiment constants (a value import from the contracts' experiments module would
 * bundle class-validator); `satisfies` keeps them in step with the contract's types.
 */
export const KINDS = ['ab', 'canary', 'shadow'] as const satisfies readonly ExperimentKind[];
export const STATES = [
  'running',
  'paused',
  'promoted',
  'rolled-back',
  'aborted',
  'completed',
] as const satisfies readonly ExperimentState[];
export const ACTIVE_STATES: readonly ExperimentState[] = ['running', 'paused'];
export const STICKINESS = [
  'source',
  'host',
  'window-key',
  'header',
] as const satisfies readonly StickinessKey[];

export const KIND_LABELS: Record<ExperimentKind, string> = {
  ab: 'A/B test',
  canary: 'Canary',
  shadow: 'Shadow',
};

export const STICKINESS_LABELS: Record<StickinessKey, string> = {
  source: 'source (the log source)',
  host: 'host (the access point / machine)',
  'window-key': 'window key (session, block id)',
  header: 'x-loglens-route header / routeKey',
};

/*
 * GET /model-management/experiments/{id}/report: the registry's ExperimentReportBody (libs/experiments) beside the
 * experiment. Mirrored here because the console imports only the contracts' protocol entry.
 */

export interface ArmSummary {
  version: string;
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
  rows: number;
  anomalies: number;
  anomalyRate: number;
  meanScore: number;
  scoreHistogram: number[];
  shadowErrors: number;
  /** shadow copies the serving workers' bounded shadow queue dropped because it was full (never scored) */
  shadowDropped: number;
}

export interface ProportionTest {
  nA: number;
  nB: number;
  rateA: number;
  rateB: number;
  /** rateB − rateA (candidate − control) */
  difference: number;
  z: number;
  /** fixed horizon: valid for one planned look */
  pValue: number;
  /** always valid (mixture SPRT): valid however often the report is read */
  sequentialPValue: number;
}

export interface MannWhitneyResult {
  nA: number;
  nB: number;
  u: number;
  /** P(candidate request slower than a control request); 0.5 = no shift */
  effect: number;
  z: number;
  pValue: number;
}

export interface Agreement {
  compared: number;
  bothFlagged: number;
  controlOnly: number;
  candidateOnly: number;
  agreement: number;
  bothFlaggedShare: number;
  flips: number;
  flaggedOverlap: number;
}

export interface FailedCriterion {
  criterion: string;
  value: number;
  limit: number;
}

export interface ArmComparison {
  version: string;
  anomalyRate: ProportionTest;
  errorRate: ProportionTest;
  latency: MannWhitneyResult;
  agreement: Agreement;
  failed: FailedCriterion[];
}

export interface ExperimentReport {
  experiment: ExperimentDto;
  arms: ArmSummary[];
  comparisons: ArmComparison[];
  recommendation: { winner: string | null; reason: string };
  method: string;
  alpha: number;
}

export type { ExperimentDto, ExperimentKind, ExperimentState, StickinessKey };
