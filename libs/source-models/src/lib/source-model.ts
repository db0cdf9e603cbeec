import type { LogRecordInput } from '@loglens/contracts';

export const SOURCE_ALGORITHMS = ['pca', 'iforest'] as const;
export type SourceAlgorithm = (typeof SOURCE_ALGORITHMS)[number];

export interface SourceTrainingOptions {
  /** the sources the records come from (training provenance; records may name their own `source`) */
  sources: string[];
  /** raw lines or objects (`{ message, timestamp?, host?, source? }`), in stream order */
  records: readonly LogRecordInput[];
  /** detector family; chosen from the data when absent */
  algorithm?: SourceAlgorithm;
  /** window length; chosen from the data (no labels) when absent */
  windowMs?: number;
  /** how many of the source's templates get a column of their own (the rest share "other templates") */
  topK?: number;
  seed?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** What a trained source model is, for the registry (`metadata`) and for people (`summary`). */
export interface SourceModelSummary {
  sources: string[];
  algorithm: SourceAlgorithm;
  windowMs: number;
  lines: number;
  windows: number;
  templates: number;
  vocabulary: number;
  from: string | null;
  to: string | null;
  threshold: number;
  /** share of training windows above the threshold */
  trainingAnomalyRate: number;
}

export interface SourceModel {
  onnx: Uint8Array;
  /** version metadata: featureSchema, window, threshold, baseline, training provenance */
  metadata: Record<string, unknown>;
  summary: SourceModelSummary;
}

/** Trains a detector on a stretch of a source's logs assumed mostly normal. */
export function trainSourceModel(options: SourceTrainingOptions): SourceModel {
  void options;
  throw new Error('trainSourceModel: not implemented yet');
}
