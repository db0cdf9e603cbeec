import { ArrayMaxSize, IsArray, IsInt, IsISO8601, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/**
 * One closed (serving version, time bucket) of the windows an agent instance scored, folded into sketches with the
 * version's reference bin edges (libs/drift `Profile`). Agents → registry (queue group), core NATS: a lost bucket is
 * a lost minute of one producer, see docs/monitoring.md.
 */
export class DriftProfileBucket {
  /** name@N of the version that scored the windows */
  @IsString()
  @MaxLength(200)
  @Matches(/^[^@\s]+@\d+$/, { message: 'modelVersion must be name@N' })
  modelVersion!: string;

  /** epoch ms of the bucket's start (a multiple of bucketMs) */
  @IsInt()
  @Min(0)
  bucketStart!: number;

  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  bucketMs!: number;

  /** the producing instance (`agent-base:host-pid`): one row per producer and bucket */
  @IsString()
  @MaxLength(200)
  producer!: string;

  /** a libs/drift Profile (checked by the registry with profileProblem) */
  @IsObject()
  profile!: Record<string, unknown>;

  /** per source: lines seen and lines whose template the reference never saw (the unseen-template rate per source) */
  @IsOptional()
  @IsObject()
  sources?: Record<string, { lines: number; unseen: number }>;

  /**
   * A reference-window sample: the raw rows (and scores) of a version that has no reference profile yet (an uploaded
   * model), which has no bin edges to fold into. The registry keeps the first DRIFT_REFERENCE_WINDOWS of them and
   * freezes them into the version's reference (checked by the registry with sampleProblem; at most 5,000 rows).
   */
  @IsOptional()
  @IsObject()
  sample?: { featureNames: string[]; rows: Array<Array<number | null>>; scores: Array<number | null> };
}

/** A drift report of a version over [from, to). */
export class DriftReportRequest {
  @IsString()
  @MaxLength(200)
  ref!: string;

  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time (a real calendar date)' })
  from!: string;

  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time (a real calendar date)' })
  to!: string;
}

/** One side of a comparison, for charts (libs/drift HistogramView). */
export interface DriftHistogramDto {
  edges: number[];
  counts: number[];
  n: number;
  mean: number | null;
  std: number | null;
}

export type DriftStatisticName = 'ks' | 'wasserstein' | 'psi' | 'jensenshannon' | 'chisquare';

/** One feature (or the score): the deciding statistic, its value against its threshold, both histograms. */
export interface FeatureDriftDto {
  feature: string;
  statistic: DriftStatisticName;
  /** a distance (drift at or above the threshold) or, for ks / chisquare, the adjusted p-value (drift below it) */
  value: number | null;
  threshold: number;
  drifted: boolean;
  testStatistic?: number;
  rawPValue?: number;
  reference: DriftHistogramDto;
  current: DriftHistogramDto;
  distances: { psi: number | null; jensenshannon: number | null; wasserstein: number | null };
}

export interface DriftReportDto {
  referenceOrigin: 'training' | 'reference-window';
  referenceWindows: number;
  currentWindows: number;
  features: FeatureDriftDto[];
  templates: {
    statistic: 'chisquare' | 'jensenshannon' | 'psi';
    value: number | null;
    threshold: number;
    drifted: boolean;
    topChanges: Array<{ template: string; reference: number; current: number }>;
  } | null;
  unseenTemplates: { rate: number | null; threshold: number; drifted: boolean; lines: number; examples: Array<{ template: string; lines: number }> } | null;
  score: FeatureDriftDto | null;
  anomalyRate: { reference: number | null; current: number | null; change: number | null; pValue: number | null; threshold: number; drifted: boolean };
  dataset: { drifted: boolean; driftedFeatures: number; features: number; share: number; threshold: number };
}

/**
 * `state`: `ok` (a report), `collecting-reference` (a version without a reference profile, e.g. an uploaded model,
 * while its first live windows are collected into one; `referenceWindow` says how far), `no-reference` (no reference
 * and none being collected), `no-data` (no live windows in the range).
 */
export interface DriftReportReply {
  model: string;
  version: string;
  from: string;
  to: string;
  state: 'ok' | 'collecting-reference' | 'no-reference' | 'no-data';
  /** while collecting: live windows collected so far of the DRIFT_REFERENCE_WINDOWS that become the reference */
  referenceWindow?: { collected: number; of: number };
  /** why, in words, when state is not ok */
  reason?: string;
  /** live profile buckets merged */
  buckets: number;
  /** unseen-template rate per source over the range (lines ≥ 1) */
  sources: Array<{ source: string; lines: number; unseenRate: number }>;
  report: DriftReportDto | null;
}

/** A version's drift crossed (detected) or went back under (cleared) its thresholds over the last hour. */
export interface DriftChangedEvent {
  model: string;
  version: string;
  /** the checked range */
  from: string;
  to: string;
  datasetDrifted: boolean;
  /** what drifted: feature names, and `templates`, `unseen-templates`, `score`, `anomaly-rate` */
  drifted: string[];
  at: string;
}

/** Every check (each minute): the last hour's statistic per feature of every version with live data, for the gateways' gauges. */
export class DriftStatusEvent {
  @IsISO8601({ strict: true })
  at!: string;

  @IsArray()
  @ArrayMaxSize(10_000)
  versions!: Array<{
    model: string;
    version: string;
    features: Array<{ feature: string; statistic: DriftStatisticName; value: number | null; drifted: boolean }>;
  }>;

  @IsArray()
  @ArrayMaxSize(100_000)
  sources!: Array<{ source: string; unseenRate: number }>;
}
