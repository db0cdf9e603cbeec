import { IsBase64, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { EXPECTED_CURRENT_MESSAGE, EXPECTED_CURRENT_PATTERN, MODEL_NAME_MESSAGE, MODEL_NAME_PATTERN, REF_MESSAGE, VERSION_REF_PATTERN } from './version-ref';
import type { ModelSummaryDto, ModelVersionDto, ServingVersionDto } from './model.dto';
import type { ExperimentDto } from './experiments.messages';
import type { ValidationReportDto } from './validation.dto';
import { DEPLOY_ACTIONS, type DeployAction } from './limits';

/** Artifacts travel in chunks of this many bytes (base64 keeps each message well under NATS' 1 MiB cap). */
export const ARTIFACT_CHUNK_BYTES = 256 * 1024;
/** Inline registration carries the whole artifact in one message, so it is capped below the NATS payload limit. */
export const INLINE_ARTIFACT_MAX_BYTES = 640 * 1024;

/** Asks for every model with its versions and which version serves. */
export class ListModelsRequest {}
export interface ListModelsReply {
  models: ModelSummaryDto[];
}

/** Asks for one version's details by reference (`name`, `name@N`, `name@latest`, `name@alias`). */
export class GetVersionRequest {
  @IsString()
  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  ref!: string;
}
export type GetVersionReply = ModelVersionDto;

/** Asks for what a worker needs to load and serve one version (a pinned reference, which need not be serving). */
export class ServingInfoRequest extends GetVersionRequest {}
export type ServingInfoReply = ServingVersionDto;

/** Asks for the serving version of every model. */
export class CurrentVersionsRequest {}
export interface CurrentVersionsReply {
  serving: ModelVersionDto[];
}

/** Registers a new version of a model (creating the model on first use) from an ONNX artifact sent inline. */
export class RegisterVersionRequest {
  @IsString()
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model!: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  task?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @IsBase64()
  artifactBase64!: string;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @IsString()
  @MaxLength(128)
  createdBy!: string;
}
export interface RegisterVersionReply {
  version: ModelVersionDto;
  /** set when the same bytes were already registered for this model: no new version was made */
  duplicateOf: string | null;
  /** the report of the checks run at registration (null when no check ran: a duplicate) */
  validation: ValidationReportDto | null;
}

/** Makes a version the serving version of its model. */
export class DeployVersionRequest {
  @IsString()
  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  ref!: string;

  @IsString()
  @MaxLength(128)
  actor!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  /** precondition: the version serving now (`name@N` or `N`, `none` for no serving version); CONFLICT when it differs */
  @IsOptional()
  @Matches(EXPECTED_CURRENT_PATTERN, EXPECTED_CURRENT_MESSAGE)
  expectedCurrent?: string;
}
export interface DeployVersionReply {
  model: string;
  from: string | null;
  to: string;
  deployedAt: string;
}

/** Asks for one chunk of an artifact; the worker reassembles and checks the sha256. */
export class GetArtifactChunkRequest {
  @Matches(/^[a-f0-9]{64}$/, { message: 'sha256 must be 64 lower-case hex characters' })
  sha256!: string;

  @IsInt()
  @Min(0)
  index!: number;
}
export interface ArtifactChunkReply {
  sha256: string;
  index: number;
  totalChunks: number;
  totalSize: number;
  dataBase64: string;
}

/** Asks what every model serves now; a worker joining the pool calls it before it answers requests. */
export class ServingStateRequest {}
export interface ServingStateReply {
  serving: ServingVersionDto[];
  /** the active (running or paused) experiments: the workers route their models' requests by them */
  experiments?: ExperimentDto[];
}


/** Broadcast after a model's serving version changed. */
export class VersionDeployedEvent {
  @IsString()
  model!: string;

  @IsObject()
  serving!: ServingVersionDto;

  @IsOptional()
  @IsString()
  previousRef!: string | null;

  @IsIn(DEPLOY_ACTIONS as unknown as string[])
  action!: DeployAction;

  @IsString()
  actor!: string;

  @IsString()
  at!: string;
}

/** Broadcast on version-registered / -validated / -load-requested / -unload-requested / -archived and alias changes. */
export class VersionLifecycleEvent {
  @IsString()
  model!: string;

  @IsString()
  ref!: string;

  @IsString()
  actor!: string;

  @IsString()
  at!: string;

  /** what a worker needs to load the version (load / unload requests) */
  @IsOptional()
  @IsObject()
  info?: ServingVersionDto;

  @IsOptional()
  @IsObject()
  detail?: Record<string, unknown>;
}
