import { AgreementCounts, emptyAgreement, mergeAgreement, quantile } from './stats';

/**
 * Per-arm measurement, mergeable: workers count what they served and send the counts; the registry adds them up per
 * check interval and for the whole experiment. Latencies are kept as a bounded uniform sample (reservoir), enough
 * for p50/p99 and the Mann–Whitney test without growing with traffic.
 */
export interface ArmCounts {
  version: string;
  requests: number;
  errors: number;
  /** rows (windows) scored and rows flagged anomalous */
  rows: number;
  anomalies: number;
  /** sum of scores over scored rows, and a 10-bucket histogram of scores clamped to [0, 1] */
  scoreSum: number;
  scoreHistogram: number[];
  /** latency sample (ms), at most `LATENCY_SAMPLE` values, and how many latencies the sample stands for */
  latencies: number[];
  latencySeen: number;
  /** shadow copies sent to this arm that failed (never returned to a caller) */
  shadowErrors: number;
  /** shadow copies for this arm dropped because the worker's shadow queue was full (never waited for) */
  shadowDropped: number;
  /** this arm (a candidate) against the control on the same rows */
  agreement: AgreementCounts;
}

export const LATENCY_SAMPLE = 2000;
/**
 * Latencies a worker sends per arm and report (every second): a uniform subsample of its reservoir. The registry's
 * samples still fill to LATENCY_SAMPLE within seconds at high traffic (each report stands for its share of the whole);
 * sending the full reservoir every second made the report, and the registry's write of it, ~8× larger.
 */
export const REPORT_LATENCY_SAMPLE = 256;
export const SCORE_BUCKETS = 10;

export function emptyArmCounts(version: string): ArmCounts {
  return {
    version,
    requests: 0,
    errors: 0,
    rows: 0,
    anomalies: 0,
    scoreSum: 0,
    scoreHistogram: new Array<number>(SCORE_BUCKETS).fill(0),
    latencies: [],
    latencySeen: 0,
    shadowErrors: 0,
    shadowDropped: 0,
    agreement: emptyAgreement(),
  };
}

/** Counts one served request (or one shadow copy) of an arm. */
export function recordRequest(
  arm: ArmCounts,
  outcome: { ok: boolean; latencyMs: number; scores?: readonly number[]; flags?: readonly boolean[] },
  random: () => number = Math.random,
): void {
  arm.requests++;
  if (!outcome.ok) arm.errors++;
  addLatency(arm, outcome.latencyMs, random);
  const scores = outcome.scores ?? [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    arm.rows++;
    if (outcome.flags?.[i]) arm.anomalies++;
    if (Number.isFinite(s)) {
      arm.scoreSum += s;
      arm.scoreHistogram[Math.min(SCORE_BUCKETS - 1, Math.max(0, Math.floor(s * SCORE_BUCKETS)))]++;
    }
  }
}

function addLatency(arm: ArmCounts, latencyMs: number, random: () => number): void {
  // to the microsecond: the sample goes to the registry every second and into Postgres, and the digits below a
  // microsecond (timer noise) would double its size
  const ms = Math.round(latencyMs * 1000) / 1000;
  arm.latencySeen++;
  if (arm.latencies.length < LATENCY_SAMPLE) arm.latencies.push(ms);
  else {
    // Algorithm R: the i-th value replaces a random slot with probability LATENCY_SAMPLE / i
    const slot = Math.floor(random() * arm.latencySeen);
    if (slot < LATENCY_SAMPLE) arm.latencies[slot] = ms;
  }
}

/** Adds `from` into `into` (same version). Latency samples merge in proportion to the latencies each stands for. */
export function mergeArmCounts(into: ArmCounts, from: ArmCounts, random: () => number = Math.random): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.rows += from.rows;
  into.anomalies += from.anomalies;
  into.scoreSum += from.scoreSum;
  for (let i = 0; i < SCORE_BUCKETS; i++) into.scoreHistogram[i] += from.scoreHistogram[i] ?? 0;
  into.shadowErrors += from.shadowErrors;
  into.shadowDropped = (into.shadowDropped ?? 0) + (from.shadowDropped ?? 0);
  mergeAgreement(into.agreement, from.agreement);
  const seen = into.latencySeen + from.latencySeen;
  // Each side's share of the merged sample is proportional to how many latencies it stands for, so the merged sample
  // is as large as the sparser side allows (a side with k values for n latencies supplies at most k·seen/n), capped
  // at LATENCY_SAMPLE. Two complete samples (k = n) simply concatenate; a thinned report (REPORT_LATENCY_SAMPLE of
  // thousands) weighs what it stands for, not what it carries.
  const supplies = (k: number, n: number) => (n > 0 ? (k * seen) / n : Number.POSITIVE_INFINITY);
  const size = Math.min(LATENCY_SAMPLE, supplies(into.latencies.length, into.latencySeen), supplies(from.latencies.length, from.latencySeen));
  const share = (arm: ArmCounts) => Math.min(arm.latencies.length, Math.round((size * arm.latencySeen) / Math.max(1, seen)));
  const [keep, take] = [share(into), share(from)];
  into.latencies = keep === into.latencies.length && take === from.latencies.length ? [...into.latencies, ...from.latencies] : [...sample(into.latencies, keep, random), ...sample(from.latencies, take, random)];
  into.latencySeen = seen;
}

/** The arm's counts with at most `k` latencies, a uniform subsample of its own (what a worker sends per report). */
export function thinnedLatencies(arm: ArmCounts, k: number = REPORT_LATENCY_SAMPLE, random: () => number = Math.random): ArmCounts {
  return arm.latencies.length <= k ? arm : { ...arm, latencies: sample(arm.latencies, k, random) };
}

function sample(values: number[], k: number, random: () => number): number[] {
  if (values.length <= k) return [...values];
  const copy = [...values];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, k);
}

/** The figures the report and the checks read from counts. */
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
  shadowDropped: number;
}

export function summarizeArm(arm: ArmCounts): ArmSummary {
  return {
    version: arm.version,
    requests: arm.requests,
    errors: arm.errors,
    errorRate: arm.requests > 0 ? arm.errors / arm.requests : 0,
    p50Ms: round3(quantile(arm.latencies, 0.5)),
    p99Ms: round3(quantile(arm.latencies, 0.99)),
    rows: arm.rows,
    anomalies: arm.anomalies,
    anomalyRate: arm.rows > 0 ? arm.anomalies / arm.rows : 0,
    meanScore: arm.rows > 0 ? arm.scoreSum / arm.rows : 0,
    scoreHistogram: [...arm.scoreHistogram],
    shadowErrors: arm.shadowErrors,
    // counts stored before the field existed have none
    shadowDropped: arm.shadowDropped ?? 0,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
