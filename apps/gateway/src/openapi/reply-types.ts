import type {
  AliasReply,
  AnalyzeReply,
  ApiKeyDto,
  CommitUploadReply,
  CurrentVersionsReply,
  DeployVersionReply,
  DriftReportReply,
  ErrorBody,
  ExperimentDto,
  GetVersionReply,
  HistoryReply,
  InferReply,
  JobDto,
  ListApiKeysReply,
  ListAuditReply,
  ListDeadLettersReply,
  ListModelsReply,
  ListResultsReply,
  LoadVersionReply,
  ModelVersionDto,
  PerformanceReply,
  PredictReply,
  PublicReadinessDto,
  ReadinessDto,
  SourceBindingDto,
  ValidationReportDto,
} from '@loglens/contracts';
import type { IssuedToken } from '../auth/tokens';
import type { Role } from '../auth/roles';

/** GET /api/v1/auth/whoami */
export interface WhoAmIReply {
  role: Role;
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
