import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AGENT_KINDS, ANALYZE_MAX_RECORDS, type AgentKind } from './limits';

/** Headers of a dead letter (DeadLetterSubjects): why, where the message came from, who gave up on it. */
export const DEAD_LETTER_HEADERS = {
  reason: 'LogLens-Reason',
  stream: 'LogLens-Stream',
  sequence: 'LogLens-Sequence',
  subject: 'LogLens-Subject',
  /** the durable consumer that gave up on it (e.g. `loglens-agent-base`, `loglens-registry-results`) */
  consumer: 'LogLens-Consumer',
  /** how often that consumer had received it */
  deliveries: 'LogLens-Deliveries',
} as const;

/** Dead letters per page at most (GET /model-management/dead-letters `limit`). */
export const DEAD_LETTERS_MAX_LIMIT = 500;
/** Characters of a dead letter's payload shown in a listing; the payload itself is never sent whole. */
export const DEAD_LETTER_PREVIEW_CHARS = 240;
/** A durable consumer's name, as `consumer` filters by it. */
export const CONSUMER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The dead letters, newest first: `before` is the `next` of the previous page (a DEADLETTER stream sequence),
 * `consumer` keeps those one durable consumer gave up on.
 */
export class ListDeadLettersRequest {
  @IsOptional()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(DEAD_LETTERS_MAX_LIMIT, { message: `limit must be at most ${DEAD_LETTERS_MAX_LIMIT}` })
  limit?: number;

  @IsOptional()
  @IsInt({ message: 'before must be an integer' })
  @Min(1, { message: 'before must be at least 1' })
  before?: number;

  @IsOptional()
  @Matches(CONSUMER_NAME_PATTERN, { message: 'consumer must be a durable consumer name (letters, digits, "_" or "-", at most 64)' })
  consumer?: string;
}

/** One message a consumer gave up on, as kept in the DEADLETTER stream. */
export interface DeadLetterDto {
  /** its sequence in the DEADLETTER stream (what `before` pages by) */
  seq: number;
  /** when it was set aside */
  at: string;
  /** the stream it came from (e.g. `loglens-LOGS`) and its sequence there */
  stream: string | null;
  streamSeq: number | null;
  /** the subject it was published on (e.g. `loglens.logs.generic.web`) */
  subject: string | null;
  /** the durable consumer that gave up on it; null for one set aside before consumers were recorded */
  consumer: string | null;
  reason: string;
  /** how often that consumer had received it, when recorded */
  deliveries?: number;
  /** its payload's size in bytes */
  size: number;
  /** the start of its payload as text (at most DEAD_LETTER_PREVIEW_CHARS characters, control characters shown as "·") */
  preview: string;
  /** whether `preview` is cut short */
  truncated: boolean;
}

export interface ListDeadLettersReply {
  items: DeadLetterDto[];
  /** `before` for the next (older) page; absent when nothing older is left */
  next?: number;
}

/** How often JetStream delivers one message before its consumer stops trying (then it is dead-lettered). */
export const MAX_DELIVERIES = 10;

/**
 * What is wrong with a window result before it is stored (null: nothing). Checked field by field so one bad result
 * is set aside with its reason instead of failing the batch it came in.
 */
export function checkWindowResult(x: unknown): string | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'a window result must be a JSON object';
  const r = x as Record<string, unknown>;
  const str = (k: string, max: number): string | null =>
    typeof r[k] !== 'string' || (r[k] as string).length === 0 ? `"${k}" must be a non-empty string` : (r[k] as string).length > max ? `"${k}" is longer than ${max} characters` : null;
  const date = (k: string): string | null => (typeof r[k] !== 'string' || Number.isNaN(Date.parse(r[k] as string)) ? `"${k}" must be an ISO date` : null);
  return (
    str('id', 64) ??
    (AGENT_KINDS.includes(r['agent'] as AgentKind) ? null : `"agent" must be one of ${AGENT_KINDS.join(', ')}`) ??
    str('source', 64) ??
    str('key', 256) ??
    date('start') ??
    date('end') ??
    (Number.isInteger(r['recordCount']) && (r['recordCount'] as number) >= 0 ? null : '"recordCount" must be a whole number ≥ 0') ??
    (r['anomalyScore'] === null || (typeof r['anomalyScore'] === 'number' && Number.isFinite(r['anomalyScore'])) ? null : '"anomalyScore" must be a finite number or null') ??
    (typeof r['isAnomaly'] === 'boolean' ? null : '"isAnomaly" must be true or false') ??
    (r['modelVersion'] === null || (typeof r['modelVersion'] === 'string' && r['modelVersion'].length <= 128) ? null : '"modelVersion" must be a string of at most 128 characters or null')
  );
}


/** A subject-safe token for a site or source name. */
export function subjectToken(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'unknown';
}

/** One log record: a raw line, or an object with the line in `message`. */
export type LogRecordInput = string | { message: string; timestamp?: string | number; source?: string; host?: string; [field: string]: unknown };


/**
 * A feature that drove a window's score: its attribution (docs/models.md). Contributions live in the window's
 * `explanation.outputSpace` (logit, ln score, SPE …); positive pushes the score up, towards anomalous.
 */
export interface TopFeatureDto {
  name: string;
  value: number;
  /** the value standing in for "feature absent" (linear / PCA models: the training mean); null for tree models */
  reference: number | null;
  contribution: number;
  /** a template-count feature: the template's text */
  template?: string;
}

/**
 * How a window's score decomposes: `baseValue + Σ topFeatures[].contribution + otherContribution = outputValue`,
 * and the score is `outputValue` through the model's link (sigmoid for logit, exp for ln score, SPE/(SPE+Q)).
 */
export interface WindowExplanationDto {
  method: 'tree-shap' | 'linear' | 'pca-spe' | 'permutation';
  approximate: boolean;
  outputSpace: 'logit' | 'log-score' | 'spe' | 'margin' | 'score';
  baseValue: number;
  outputValue: number;
  /** the features not listed in topFeatures, together */
  otherContribution: number;
}

/** The result of one window, as published on analysis.results.<source> and stored. */
export interface WindowResultDto {
  /** deterministic: agent, source, key and time range — a redelivered window gets the same id */
  id: string;
  agent: AgentKind;
  source: string;
  key: string;
  start: string;
  end: string;
  recordCount: number;
  /** stream sequence numbers (stream path; `<sequence>.<index>` for a record of a batch, LOG_BATCH_HEADER) or request indexes (analyze) */
  recordIds: string[];
  anomalyScore: number | null;
  isAnomaly: boolean;
  threshold: number | null;
  modelVersion: string | null;
  topFeatures: TopFeatureDto[];
  /** present when the window was scored with attributions */
  explanation?: WindowExplanationDto;
  analyzedAt: string;
}

/** How a large body is packed into one NATS message: Brotli then base64, or gzip then base64. */
export const PACK_ENCODINGS = ['br', 'gzip'] as const;
export type PackEncoding = (typeof PACK_ENCODINGS)[number];

/** Asks an agent to analyze records now (POST /api/v1/models/analyze); large bodies go through the object store. */
export class AnalyzeRequest {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'records must not be empty' })
  @ArrayMaxSize(ANALYZE_MAX_RECORDS, { message: `at most ${ANALYZE_MAX_RECORDS} records per request` })
  records?: LogRecordInput[];

  /**
   * the records' JSON array packed (Brotli, then base64: nest-common's packJson) instead of `records`, so a large
   * body fits one NATS message
   */
  @IsOptional()
  @IsString()
  @MaxLength(1024 * 1024)
  recordsPacked?: string;

  /** name of an object in the payloads bucket holding `{records}` when they do not fit one NATS message */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  payloadObject?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  source?: string;

  /** set by the gateway: an {@link AnalyzeCancelEvent} with it stops the analysis */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  requestId?: string;

  /** the caller reads a {@link PackedReply}: a large reply is packed into one message rather than stored in the payloads bucket */
  @IsOptional()
  @IsBoolean()
  packedReply?: boolean;

  /**
   * how to pack a {@link PackedReply} (`br`, the default, or `gzip`): the gateway asks for gzip when its HTTP client
   * accepts it, and sends the packed bytes on as they are
   */
  @IsOptional()
  @IsIn(PACK_ENCODINGS, { message: `packedReplyEncoding must be one of ${PACK_ENCODINGS.join(', ')}` })
  packedReplyEncoding?: PackEncoding;
}

/** Sent on {@link AgentSubjects.analyzeCancel} when the caller of an analyze request is gone. */
export class AnalyzeCancelEvent {
  @IsString()
  @MaxLength(64)
  requestId!: string;
}

export interface AnalyzedRecordDto {
  index: number;
  templateId: string | null;
  template: string | null;
  windowId: string | null;
  error?: string;
  /** the line was longer than the agent's line cap (64 KiB by default) and was analysed cut to it */
  truncated?: boolean;
}

export interface AnalyzeWindowDto {
  id: string;
  key: string;
  start: string;
  end: string;
  recordIndexes: number[];
  anomalyScore: number | null;
  isAnomaly: boolean;
  threshold: number | null;
  modelVersion: string | null;
  topFeatures: TopFeatureDto[];
  explanation?: WindowExplanationDto;
}

export interface AnalyzeReply {
  agent: AgentKind;
  modelVersions: string[];
  windows: AnalyzeWindowDto[];
  records: AnalyzedRecordDto[];
}

/** An agent's reply when it is too large for one message: the body is in the payloads bucket. */
export interface StoredReply {
  payloadObject: string;
}

/** A large analyze reply packed into one message (asked for with `packedReply`): the AnalyzeReply's JSON, packJson'd. */
export interface PackedReply {
  packed: string;
  /** how it is packed: absent = `br` (an agent packs with Brotli when gzip would not fit one message) */
  encoding?: PackEncoding;
}

/** An analyze reply that is not inline: stored in the payloads bucket, or packed (only to a caller that asked). */
export type LargeReply = StoredReply | PackedReply;

/** Stored window results, newest first. */
export class ListResultsRequest {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  source?: string;

  @IsOptional()
  @IsIn(AGENT_KINDS as unknown as string[])
  agent?: AgentKind;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time (a real calendar date)' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time (a real calendar date)' })
  to?: string;

  @IsOptional()
  @IsBoolean()
  anomalous?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export interface ListResultsReply {
  results: WindowResultDto[];
}

export const SOURCE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
