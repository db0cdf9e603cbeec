import type { AnalyzeReply, ListDeadLettersReply, ListResultsReply } from './analysis.messages';
import type { ApiKeyDto, ListApiKeysReply, ListAuditReply } from './auth.messages';
import type { DriftReportReply } from './drift.messages';
import type { ErrorBody } from './errors';
import type { ExperimentDto } from './experiments.messages';
import type { PublicReadinessDto, ReadinessDto } from './health.messages';
import type { InferReply, PredictReply } from './inference.messages';
import type { AliasReply, CommitUploadReply, HistoryReply, LoadVersionReply } from './lifecycle.messages';
import type { ModelVersionDto } from './model.dto';
import type { PerformanceReply } from './performance.dto';
import type { CurrentVersionsReply, DeployVersionReply, GetVersionReply, ListModelsReply } from './registry.messages';
import type { JobDto, SourceBindingDto } from './sources.messages';
import type { ValidationReportDto } from './validation.dto';

/**
 * Reply shapes of the gateway's REST routes that no NATS message carries: the gateway answers with them, the
 * OpenAPI schemas are generated from them and `@loglens/client` types its calls with them.
 */

/** The roles an API key can hold, least first. */
export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** POST /api/v1/auth/tokens: a short-lived token for ?token= (SSE in a browser) */
export interface IssuedToken {
  token: string;
  expiresAt: string;
}

/** GET /api/v1/auth/whoami */
export interface WhoAmIReply {
  role: ApiRole;
  name: string;
  fingerprint: string;
}

/** POST /api/v1/auth/keys: the key itself, shown this once */
export type CreatedApiKeyReply = ApiKeyDto & { key: string };

/** GET /health/live */
export interface LivenessReply {
  status: 'live';
}

/** GET /v2/health/live (KServe v2) */
export interface V2LiveReply {
  live: true;
}

/** GET /v2/health/ready (KServe v2) */
export interface V2ReadyReply {
  ready: boolean;
}

/** A tensor in KServe v2 model metadata; symbolic and unknown dimensions are -1. */
export interface V2TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

/** GET /v2/models/{name}[/versions/{version}] */
export interface V2ModelMetadataReply {
  name: string;
  versions: string[];
  platform: string;
  inputs: V2TensorMetadata[];
  outputs: V2TensorMetadata[];
}

/** POST /v2/models/{name}[/versions/{version}]/infer */
export interface V2InferReply {
  model_name: string;
  model_version: string;
  id?: string;
  parameters?: { explanations: NonNullable<InferReply['explanations']> };
  outputs: InferReply['outputs'];
}

/** POST /api/v1/logs: every line stored in the LOGS stream */
export interface BulkLogsReply {
  accepted: number;
  truncated: number;
  subjects: string[];
}

/**
 * Every body the gateway answers with, by the component name it gets in /docs/openapi.json. The JSON schemas are
 * generated from these types (generate-contract-schemas.ts), so the contracts stay the one source of the shapes.
 */
export interface OpenApiReplies {
  ErrorBody: ErrorBody;
  AliasReply: AliasReply;
  AnalyzeReply: AnalyzeReply;
  ApiKeyDto: ApiKeyDto;
  CommitUploadReply: CommitUploadReply;
  CreatedApiKeyReply: CreatedApiKeyReply;
  CurrentVersionsReply: CurrentVersionsReply;
  DeployVersionReply: DeployVersionReply;
  DriftReportReply: DriftReportReply;
  ExperimentDto: ExperimentDto;
  ExperimentList: ExperimentDto[];
  /** the experiments lib's report: its shape is the registry's to extend, so it is an open object here */
  ExperimentReport: Record<string, unknown>;
  GetVersionReply: GetVersionReply;
  HistoryReply: HistoryReply;
  IssuedToken: IssuedToken;
  JobDto: JobDto;
  JobList: JobDto[];
  ListApiKeysReply: ListApiKeysReply;
  ListAuditReply: ListAuditReply;
  ListDeadLettersReply: ListDeadLettersReply;
  ListModelsReply: ListModelsReply;
  ListResultsReply: ListResultsReply;
  LoadVersionReply: LoadVersionReply;
  ModelVersionDto: ModelVersionDto;
  PerformanceReply: PerformanceReply;
  PredictReply: PredictReply;
  PublicReadinessDto: PublicReadinessDto;
  ReadinessDto: ReadinessDto;
  SourceBindingDto: SourceBindingDto;
  SourceBindingList: SourceBindingDto[];
  ValidationReportDto: ValidationReportDto;
  WhoAmIReply: WhoAmIReply;
  LivenessReply: LivenessReply;
  V2LiveReply: V2LiveReply;
  V2ReadyReply: V2ReadyReply;
  V2ModelMetadataReply: V2ModelMetadataReply;
  V2InferReply: V2InferReply;
  BulkLogsReply: BulkLogsReply;
}

export type ReplyName = keyof OpenApiReplies;
