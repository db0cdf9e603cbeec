/** Data shapes of models and versions as every service and the admin console see them. */

export const VERSION_STATUSES = ['registered', 'validated', 'invalid', 'loaded', 'serving', 'retired'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export type TensorElemType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string'
  | 'unknown';

/** One input or output of a model graph. Symbolic dims are strings ("N"), unknown dims null. */
export interface TensorSignatureDto {
  name: string;
  kind: 'tensor' | 'sequence' | 'map' | 'other';
  elemType: TensorElemType | null;
  shape: Array<number | string | null> | null;
}

export interface ModelSignatureDto {
  inputs: TensorSignatureDto[];
  outputs: TensorSignatureDto[];
}

/** The ordered features a model reads; `version` names the extractor that produces them. */
export interface FeatureSchemaDto {
  version: string;
  features: Array<{ name: string; dtype: 'float32'; description?: string }>;
  /**
   * Models learned from a source's own logs (`source-templates.v1`): every template seen in training, including those
   * without a column of their own; a line matching none of them counts as a new line type.
   */
  knownTemplates?: string[];
}

/** Most templates a feature schema may list as known, and the longest one. */
export const KNOWN_TEMPLATES_MAX = 20_000;
export const TEMPLATE_TEXT_MAX = 4096;

export interface ModelVersionSummaryDto {
  ref: string;
  version: number;
  status: VersionStatus;
  sha256: string;
  sizeBytes: number;
  createdAt: string;
  createdBy: string;
  /** aliases pointing at this version */
  aliases: string[];
  tags: string[];
  archivedAt: string | null;
  /** outcome of the latest validation report, null before the first */
  validation: 'pass' | 'warn' | 'fail' | null;
}

export interface ModelVersionDto extends ModelVersionSummaryDto {
  model: string;
  irVersion: number;
  opsets: Array<{ domain: string; version: number }>;
  producer: string;
  signature: ModelSignatureDto;
  featureSchema: FeatureSchemaDto | null;
  /** input the rows are fed to, and the output read as the anomaly score */
  inputName: string;
  scoreOutput: string;
  threshold: number | null;
  /** everything else the trainer recorded: scaler, baseline quantiles, metrics, tags */
  metadata: Record<string, unknown>;
  servingSince: string | null;
  /** sha256 of a separate scaler ONNX applied before the model, when one was uploaded */
  scalerSha256: string | null;
}

export interface ModelSummaryDto {
  name: string;
  task: string;
  description: string;
  createdAt: string;
  owner: string;
  servingVersion: string | null;
  aliases: Record<string, string>;
  versions: ModelVersionSummaryDto[];
}

export const HISTORY_ACTIONS = [
  'deploy',
  'rollback',
  'fallback',
  'promote',
  'alias-set',
  'alias-delete',
  'bind',
  'unbind',
  /** experiment entries (kind 'experiment'): the experiment id and figures are in the reason */
  'exp-start',
  'exp-step',
  'exp-pause',
  'exp-resume',
  'exp-abort',
  'exp-rollback',
  'exp-complete',
  /** a version's reference profile frozen from its first live windows (kind 'drift'; the figures are in the reason) */
  'drift-reference',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** One change of a serving version, an alias or a source binding: who, when, why, from → to. */
export interface HistoryEntryDto {
  id: string;
  /** 1, 2, 3… per model: gaps or repeats would mean a lost or forked history */
  seq: number;
  model: string;
  kind: 'serving' | 'alias' | 'binding' | 'experiment' | 'drift';
  alias: string | null;
  /** the source bound to (or unbound from) the model, for `binding` entries */
  source?: string | null;
  action: HistoryAction;
  from: string | null;
  to: string | null;
  actor: string;
  reason: string;
  at: string;
}

/** What a worker needs to serve a model's serving version. */
export interface ServingVersionDto {
  model: string;
  ref: string;
  version: number;
  sha256: string;
  sizeBytes: number;
  inputName: string;
  scoreOutput: string;
  featureNames: string[] | null;
  threshold: number | null;
  /** missing feature values (null) become NaN for the graph to impute, instead of a 400 (metadata.allowMissing) */
  allowMissing: boolean;
  /** features per row when known (schema, static input shape or metadata.featureCount): the warm-up row's width */
  width?: number | null;
  /** per-model batching overrides from metadata.batching */
  batching?: { maxBatchSize?: number; maxQueueDelayMs?: number };
  deployedAt: string;
}

/** metadata.batching {maxBatchSize?, maxQueueDelayMs?}, ignoring anything that is not a usable number */
export function batchingOf(metadata: Record<string, unknown>): ServingVersionDto['batching'] {
  const b = metadata['batching'] as Record<string, unknown> | undefined;
  const num = (v: unknown, min: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? v : undefined);
  return { maxBatchSize: num(b?.['maxBatchSize'], 1), maxQueueDelayMs: num(b?.['maxQueueDelayMs'], 0) };
}
