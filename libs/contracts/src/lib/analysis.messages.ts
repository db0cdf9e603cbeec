import { jetStreamName, namespaced, withoutNamespace } from './namespace';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Raw logs enter on `logs.wifi.<site>` / `logs.generic.<source>`, kept by the JetStream stream LOGS. */
export const LogSubjects = namespaced({
  /** prefix: `logs.wifi.<site>` */
  wifi: 'logs.wifi',
  /** prefix: `logs.generic.<source>` */
  generic: 'logs.generic',
  all: 'logs.>',
});

/** Agents publish every window's result and each anomaly; the JetStream stream ANALYSIS keeps both. */
export const AnalysisSubjects = namespaced({
  /** prefix: `analysis.results.<source>` */
  results: 'analysis.results',
  /** prefix: `anomalies.detected.<source>` */
  anomalies: 'anomalies.detected',
  allResults: 'analysis.results.>',
  allAnomalies: 'anomalies.detected.>',
  /** stored results, queried from the registry */
  listResults: 'registry.analysis.results.list.v1',
});

export const AgentSubjects = namespaced({
  analyzeBase: 'agents.base.analyze.v1',
  analyzeWifi: 'agents.wifi.analyze.v1',
});

/** Streams and buckets, each in the namespace (`loglens-LOGS`, `loglens-payloads`): see jetStreamName. */
export const JetStreamNames = {
  logs: jetStreamName('LOGS'),
  analysis: jetStreamName('ANALYSIS'),
  /** large request/reply bodies (analyze) travel through this object store bucket */
  payloads: jetStreamName('payloads'),
  /** agents keep their template/window state here */
  agentState: jetStreamName('agent-state'),
  /** messages a consumer gave up on (malformed, or failing every delivery), each with the reason */
  deadLetter: jetStreamName('DEADLETTER'),
} as const;

/** The durable ANALYSIS consumer the registry's instances share to store results. */
export const REGISTRY_RESULTS_DURABLE = jetStreamName('registry-results');

/** Where a consumer puts a message it gives up on; headers say why (see {@link DEAD_LETTER_HEADERS}). */
export const DeadLetterSubjects = namespaced({
  /** a window result the registry could not store */
  analysis: 'deadletter.analysis.v1',
  /** a log record an agent could not analyze within its delivery limit */
  logs: 'deadletter.logs.v1',
  all: 'deadletter.>',
});

export const DEAD_LETTER_HEADERS = { reason: 'LogLens-Reason', stream: 'LogLens-Stream', sequence: 'LogLens-Sequence', subject: 'LogLens-Subject' } as const;

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

export const AGENT_KINDS = ['base', 'wifi'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** The durable LOGS consumer every instance of an agent kind shares (they split the stream between them). */
export function agentDurable(kind: AgentKind): string {
  return jetStreamName(`agent-${kind}`);
}

/** A subject-safe token for a site or source name. */
export function subjectToken(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'unknown';
}

/** One log record: a raw line, or an object with the line in `message`. */
export type LogRecordInput = string | { message: string; timestamp?: string | number; source?: string; host?: string; [field: string]: unknown };

export const ANALYZE_MAX_RECORDS = 10_000;

/** A feature that stood out in a window, against the model's training baseline. */
export interface TopFeatureDto {
  name: string;
  value: number;
  /** the training median of the feature */
  baseline: number | null;
  /** how far from its training median, in units of its training spread (0 = typical); always finite */
  deviation: number;
  /** how to read `deviation` when the spread is not the unit: e.g. the feature never varied in training */
  note?: string;
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
  /** stream sequence numbers (stream path) or request indexes (analyze) */
  recordIds: string[];
  anomalyScore: number | null;
  isAnomaly: boolean;
  threshold: number | null;
  modelVersion: string | null;
  topFeatures: TopFeatureDto[];
  analyzedAt: string;
}

/** Asks an agent to analyze records now (POST /api/v1/models/analyze); large bodies go through the object store. */
export class AnalyzeRequest {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'records must not be empty' })
  @ArrayMaxSize(ANALYZE_MAX_RECORDS, { message: `at most ${ANALYZE_MAX_RECORDS} records per request` })
  records?: LogRecordInput[];

  /** name of an object in the payloads bucket holding `{records}` when they do not fit one NATS message */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  payloadObject?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  source?: string;
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
}

export interface AnalyzeReply {
  agent: AgentKind;
  modelVersions: string[];
  windows: AnalyzeWindowDto[];
  records: AnalyzedRecordDto[];
}

/** An agent's reply when it is too large for one message: the body is in the payloads bucket. */
export interface LargeReply {
  payloadObject: string;
}

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
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
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

/** `loglens.logs.wifi.site1` → `site1`; the part after the namespace and the kind prefix names the source. */
export function sourceOfSubject(subject: string): string {
  const parts = withoutNamespace(subject).split('.');
  return parts.slice(2).join('.') || 'unknown';
}

export const SOURCE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
