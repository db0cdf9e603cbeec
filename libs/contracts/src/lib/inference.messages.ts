import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MODEL_NAME_PATTERN, VERSION_REF_PATTERN } from './version-ref';

export const PREDICT_MAX_ROWS = 10_000;

/** A row is either the features in schema order or an object keyed by feature name. */
export type PredictRow = number[] | Record<string, number>;

/** Scores rows with a model's serving version, or with a pinned version. */
export class PredictRequest {
  @IsOptional()
  @IsString()
  @Matches(MODEL_NAME_PATTERN, { message: 'model must be a model name' })
  model?: string;

  @IsOptional()
  @IsString()
  @Matches(VERSION_REF_PATTERN, { message: 'version must look like name@<number>, name@latest or name@<alias>' })
  version?: string;

  @IsArray()
  @ArrayMinSize(1, { message: 'rows must contain at least one row' })
  @ArrayMaxSize(PREDICT_MAX_ROWS, { message: `rows must contain at most ${PREDICT_MAX_ROWS} rows` })
  rows!: PredictRow[];

  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(120_000)
  timeoutMs?: number;
}

export interface OutputTensorDto {
  dims: number[];
  data: number[];
}

export interface PredictReply {
  modelVersion: string;
  /** one anomaly score per row, from the version's score output */
  scores: number[];
  /** score ≥ threshold, when the version has a threshold */
  isAnomaly: boolean[] | null;
  threshold: number | null;
  /** every tensor output, by name */
  outputs: Record<string, OutputTensorDto>;
  timings: { queueMs: number; computeMs: number };
  worker: string;
}
