import { ArrayMaxSize, IsArray, IsInt, IsISO8601, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EXPECTED_CURRENT_MESSAGE, EXPECTED_CURRENT_PATTERN, MODEL_NAME_MESSAGE, MODEL_NAME_PATTERN, REF_MESSAGE, VERSION_REF_PATTERN } from './version-ref';
import type { HistoryEntryDto, ModelVersionDto } from './model.dto';
import type { DeployVersionReply, RegisterVersionReply } from './registry.messages';
import type { ValidationReportDto } from './validation.dto';
import { ALIAS_PATTERN, UPLOAD_MAX_BYTES } from './limits';



/** Opens a chunked upload of a new version (artifacts above the NATS payload limit travel this way). */
export class BeginUploadRequest {
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model!: string;

  @IsInt()
  @Min(1)
  @Max(UPLOAD_MAX_BYTES)
  modelBytes!: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(UPLOAD_MAX_BYTES)
  scalerBytes?: number;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  task?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @IsString()
  @MaxLength(128)
  createdBy!: string;
}
export interface BeginUploadReply {
  uploadId: string;
  chunkBytes: number;
}

/** One chunk of an upload; `part` is `model` or `scaler`. */
export class UploadChunkRequest {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'uploadId must be a UUID' })
  uploadId!: string;

  @Matches(/^(model|scaler)$/, { message: 'part must be "model" or "scaler"' })
  part!: 'model' | 'scaler';

  @IsInt()
  @Min(0)
  index!: number;

  @IsString()
  dataBase64!: string;
}
export interface UploadChunkReply {
  receivedBytes: number;
}

/** Closes an upload: the registry checks sizes and sha256, registers and validates the version. */
export class CommitUploadRequest {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'uploadId must be a UUID' })
  uploadId!: string;

  @IsOptional()
  @Matches(/^[a-f0-9]{64}$/, { message: 'modelSha256 must be 64 lower-case hex characters' })
  modelSha256?: string;
}
/** The version the upload registered, as an inline registration answers. */
export type CommitUploadReply = RegisterVersionReply;

/** Runs (again) every validation check on a version. */
export class ValidateVersionRequest {
  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  ref!: string;

  @IsString()
  @MaxLength(128)
  actor!: string;
}
export type ValidateVersionReply = ValidationReportDto;

/** The latest validation report of a version. */
export class GetValidationRequest {
  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  ref!: string;
}
export type GetValidationReply = ValidationReportDto;

/** Warms (load) or releases (unload) a version in every worker without changing what serves. */
export class LoadVersionRequest {
  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  ref!: string;

  @IsString()
  @MaxLength(128)
  actor!: string;
}
export interface LoadVersionReply {
  ref: string;
  status: string;
}

/** Serves the previous serving version again, or `to`. */
export class RollbackRequest {
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model!: string;

  @IsOptional()
  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  to?: string;

  @IsString()
  @MaxLength(128)
  actor!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  /** precondition: the version current now (`name@N`, `N` or `none`); CONFLICT naming the actual one when it differs */
  @IsOptional()
  @Matches(EXPECTED_CURRENT_PATTERN, EXPECTED_CURRENT_MESSAGE)
  expectedCurrent?: string;
}
export type RollbackReply = DeployVersionReply;

/** A worker reports that a newly deployed version could not serve; the registry serves the previous one again. */
export class FallbackRequest {
  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  failedRef!: string;

  @IsString()
  @MaxLength(2000)
  reason!: string;

  @IsString()
  @MaxLength(128)
  worker!: string;
}
export interface FallbackReply {
  /** the change made; null when nothing was changed (the failed version no longer serves, or there is nothing to go back to) */
  fellBack: DeployVersionReply | null;
}

/** The transfer history, newest first. */
export class HistoryRequest {
  @IsOptional()
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time (a real calendar date)' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time (a real calendar date)' })
  to?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
export interface HistoryReply {
  entries: HistoryEntryDto[];
}

/** Points an alias at a version (creating or moving it). */
export class SetAliasRequest {
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model!: string;

  @Matches(ALIAS_PATTERN, { message: 'alias must be lower-case, start with a letter, max 32 characters, and not "latest"' })
  alias!: string;

  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  ref!: string;

  @IsString()
  @MaxLength(128)
  actor!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  /** precondition: the version current now (`name@N`, `N` or `none`); CONFLICT naming the actual one when it differs */
  @IsOptional()
  @Matches(EXPECTED_CURRENT_PATTERN, EXPECTED_CURRENT_MESSAGE)
  expectedCurrent?: string;
}

export class DeleteAliasRequest {
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model!: string;

  @Matches(ALIAS_PATTERN, { message: 'alias must be lower-case, start with a letter, max 32 characters, and not "latest"' })
  alias!: string;

  @IsString()
  @MaxLength(128)
  actor!: string;

  /** precondition: the version current now (`name@N`, `N` or `none`); CONFLICT naming the actual one when it differs */
  @IsOptional()
  @Matches(EXPECTED_CURRENT_PATTERN, EXPECTED_CURRENT_MESSAGE)
  expectedCurrent?: string;
}
export interface AliasReply {
  model: string;
  alias: string;
  from: string | null;
  to: string | null;
}

/** Archives a version (never the serving one): it stays in the history but can no longer be loaded or deployed. */
export class ArchiveVersionRequest {
  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  ref!: string;

  @IsString()
  @MaxLength(128)
  actor!: string;
}
export type ArchiveVersionReply = ModelVersionDto;

/** Sets a version's tags. */
export class TagVersionRequest {
  @Matches(VERSION_REF_PATTERN, REF_MESSAGE)
  ref!: string;

  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Matches(/^[a-zA-Z0-9._:-]{1,64}$/, { each: true, message: 'tags are 1-64 characters of letters, digits, ".", "_", ":" or "-"' })
  tags!: string[];
}
export type TagVersionReply = ModelVersionDto;
