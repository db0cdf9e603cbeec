import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { MODEL_NAME_PATTERN, VERSION_REF_PATTERN } from './version-ref';
import { PREDICT_MAX_ROWS } from './limits';


/**
 * A row is either the features in schema order or an object keyed by feature name; for models with several
 * inputs (sklearn pipelines), an object keyed by input name whose values match each input's type (strings for
 * string inputs, booleans for bool inputs, null for a missing float value).
 */
export type PredictRow = number[] | Record<string, number | string | boolean | null>;

/**
 * One row's routing keys (the agents' stream path, where one request carries windows of many sources): the worker
 * routes the row by the key its model's experiment is sticky on — `source` for `stickiness.key: source`, `window`
 * (the window's key: the host or block for the base agent, the AP for the WiFi agent) for `host` and `window-key`,
 * and for `header` the request's routeKey when it has one, else `window`.
 */
export interface RowRouteKey {
  source?: string;
  window?: string;
}

/** Why `rowKeys` is not one {source?, window?} per row (strings of at most 256 characters), or null when it is. */
export function rowKeysProblem(rowKeys: unknown, rows: unknown): string | null {
  if (!Array.isArray(rowKeys)) return 'rowKeys must be an array';
  if (Array.isArray(rows) && rowKeys.length !== rows.length) return `rowKeys must have one key per row (${rows.length}), not ${rowKeys.length}`;
  for (const k of rowKeys as unknown[]) {
    if (typeof k !== 'object' || k === null || Array.isArray(k)) return 'rowKeys must hold objects {source?, window?}';
    for (const field in k) {
      const v = (k as Record<string, unknown>)[field];
      if (field !== 'source' && field !== 'window') return `rowKeys: property ${field} should not exist`;
      if (v != null && (typeof v !== 'string' || v.length > 256)) return `rowKeys: ${field} must be a string of at most 256 characters`;
    }
  }
  return null;
}

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

  /**
   * Sticky key of an experiment's routing (the `x-loglens-route` header, a source, a host, a window key): the same key
   * is always answered by the same arm while the weights stand. Without one, the arm is drawn per request.
   */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  routeKey?: string;

  /**
   * One routing key per row (RowRouteKey): with an experiment running, each row goes to the arm its key hashes to,
   * so a batch of windows from many sources is split by arm, and the reply's `modelVersions` names each row's arm.
   */
  @IsOptional()
  @ValidateBy({
    name: 'rowKeys',
    validator: {
      validate: (value: unknown, args) => rowKeysProblem(value, (args?.object as { rows?: unknown } | undefined)?.rows) === null,
      defaultMessage: (args) => rowKeysProblem(args?.value, (args?.object as { rows?: unknown } | undefined)?.rows) ?? 'rowKeys is invalid',
    },
  })
  rowKeys?: RowRouteKey[];

  /** also return each row's feature attributions (`explanations`); off by default, and free when off */
  @IsOptional()
  @IsBoolean()
  explain?: boolean;

  /**
   * With `explain`: each row's explanation keeps only its `explainTop` attributions of largest |contribution| (the
   * ranking's first k), and carries `attributionSum`, the sum of the whole list, so the rest is still accounted for.
   * The agents ask for the few they show: the reply (and its JSON both ways) shrinks with the cut. Workers that
   * predate it refuse the request (unknown property): a caller falls back to the full lists.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  explainTop?: number;

  /**
   * Set by the agents, which profile the windows they score for drift themselves: the worker then does not fold these
   * rows into its own predict-path profile (no row counted twice). The gateway refuses it on HTTP.
   */
  @IsOptional()
  @IsBoolean()
  profiled?: boolean;
}

/** Most rows one explained predict may carry: explanations cost far more than scores. */
export const EXPLAIN_MAX_ROWS = 1_000;

/** One feature's share of a row's explained output. */
export interface FeatureAttributionDto {
  feature: string;
  /** the row's value (null when missing) */
  value: number | null;
  /** the value standing in for "feature absent" where the method has one (linear, PCA, sampled) */
  reference?: number;
  contribution: number;
  /** for a template-count feature, the template's text (filled in by the agents) */
  template?: string;
}

/**
 * A row's attributions: they sum to `outputValue − baseValue`, and the score is the link of `outputValue` —
 * `logit` (score = sigmoid), `log-score` (score = exp), `spe` (score = SPE / (SPE + Q)), `margin` (an exporter's
 * post-transform) or `score` (identity; sampled explanations). Ranked by |contribution|.
 */
export interface RowExplanationDto {
  method: 'tree-shap' | 'linear' | 'pca-spe' | 'permutation';
  approximate: boolean;
  outputSpace: 'logit' | 'log-score' | 'spe' | 'margin' | 'score';
  baseValue: number;
  outputValue: number;
  attributions: FeatureAttributionDto[];
  /**
   * When the request's `explainTop` cut the list: Σ contribution over every attribution, the complete list's sum in
   * rank order (outputValue − baseValue up to rounding), so what the kept ones leave out is this minus their sum.
   */
  attributionSum?: number;
}

export interface OutputTensorDto {
  dims: number[];
  /** row-major; int64 as numbers, bool as 0/1, string tensors (class labels) as strings, NaN as null in JSON */
  data: Array<number | string>;
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
  /** one per row, when the request asked `explain: true` */
  explanations?: RowExplanationDto[];
  /**
   * the version that scored each row, when the request had `rowKeys` and the model an experiment (the rows may be
   * split between arms; `modelVersion` then names the control, and `isAnomaly` uses each row's version's threshold)
   */
  modelVersions?: string[];
}

/** Asks one worker to load an artifact, run a test inference on zero or baseline data, and release it. */
export class ValidateArtifactRequest {
  @IsString()
  @Matches(VERSION_REF_PATTERN, { message: 'ref must be a version reference' })
  ref!: string;

  @Matches(/^[a-f0-9]{64}$/, { message: 'sha256 must be 64 lower-case hex characters' })
  sha256!: string;

  @IsInt()
  @Min(1)
  sizeBytes!: number;

  @IsString()
  inputName!: string;

  @IsString()
  scoreOutput!: string;

  @IsOptional()
  @IsArray()
  featureNames?: string[] | null;

  /** features per row when the graph does not fix it (the schema's length or metadata.featureCount) */
  @IsOptional()
  @IsInt()
  @Min(1)
  width?: number;

  /** one row of typical values (e.g. the training baseline's medians); zeros when absent */
  @IsOptional()
  @IsArray()
  baselineRow?: number[];
}

export interface ValidateArtifactReply {
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
  worker: string;
  /** tensor outputs the session can fetch */
  tensorOutputs: string[];
  fixedBatch: number | null;
}

/** One typed tensor, as the Open Inference Protocol (KServe v2) carries it. */
export interface InferTensorDto {
  name: string;
  /** FP32 FP64 INT64 INT32 INT8 UINT8 BOOL BYTES */
  datatype: string;
  shape: number[];
  data: Array<number | string | boolean | null>;
}

/** Runs a model on typed tensors (KServe v2 `infer`), by model name (serving version) or pinned version. */
export class InferRequest {
  @IsOptional()
  @IsString()
  @Matches(MODEL_NAME_PATTERN, { message: 'model must be a model name' })
  model?: string;

  @IsOptional()
  @IsString()
  @Matches(VERSION_REF_PATTERN, { message: 'version must look like name@<number>' })
  version?: string;

  @IsArray()
  @ArrayMinSize(1, { message: 'inputs must hold at least one tensor' })
  inputs!: InferTensorDto[];

  /** tensor outputs to return; all tensor outputs when absent */
  @IsOptional()
  @IsArray()
  outputs?: string[];

  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(120_000)
  timeoutMs?: number;

  /** also explain each row of the one [N, F] input (KServe v2 `parameters.explain`) */
  @IsOptional()
  @IsBoolean()
  explain?: boolean;
}

export interface InferReply {
  modelVersion: string;
  outputs: InferTensorDto[];
  timings: { computeMs: number };
  worker: string;
  /** one per row of the input, when the request asked `explain: true` */
  explanations?: RowExplanationDto[];
}

/** Is a shadow pool mirroring the predict traffic? Asked by serving workers every few seconds; the body is empty. */
export class ShadowPoolProbeRequest {}

export interface ShadowPoolProbeReply {
  /** the pool worker that answered */
  instanceId: string;
}
