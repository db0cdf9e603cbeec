import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AGENT_KINDS, type AgentKind } from './limits';
import { MODEL_NAME_MESSAGE, MODEL_NAME_PATTERN } from './version-ref';
import { JOB_STATES, SOURCE_NAME_PATTERN, TRAIN_ALGORITHMS, type JobKind, type JobState, type TrainAlgorithm } from './limits';

/**
 * Per-source models: train jobs (queued in the registry, run by the trainer app) and source → model bindings
 * (which model an agent scores a source's windows with).
 */

const SOURCE_MESSAGE = 'sources are 1-64 letters, digits, "_" or "-" (the last token of logs.generic.<source> / logs.wifi.<site>)';



/** What a train job is asked to do: the body of POST /model-management/models/{name}/train, minus the file. */
export class TrainParams {
  @IsArray()
  @ArrayMinSize(1, { message: 'sources must name at least one source' })
  @ArrayMaxSize(32, { message: 'sources: at most 32' })
  @Matches(SOURCE_NAME_PATTERN, { each: true, message: SOURCE_MESSAGE })
  sources!: string[];

  /** start of the training stretch (message time in LOGS); default: the oldest message kept */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time' })
  from?: string;

  /** end of the training stretch; default: the newest message when the job starts */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time' })
  to?: string;

  @IsOptional()
  @IsIn(TRAIN_ALGORITHMS as unknown as string[], { message: `algorithm must be one of ${TRAIN_ALGORITHMS.join(', ')}` })
  algorithm?: TrainAlgorithm;

  @IsOptional()
  @IsInt({ message: 'windowMs must be an integer number of milliseconds' })
  @Min(1000, { message: 'windowMs must be at least 1000' })
  @Max(86_400_000, { message: 'windowMs must be at most 86400000 (a day)' })
  windowMs?: number;

  @IsOptional()
  @IsInt({ message: 'topK must be an integer' })
  @Min(1, { message: 'topK must be at least 1' })
  @Max(1000, { message: 'topK must be at most 1000' })
  topK?: number;

  /** deploy the new version once it is registered and validated */
  @IsOptional()
  @IsBoolean({ message: 'deploy must be true or false' })
  deploy?: boolean;

  /** bind every source to the model once the version is deployed */
  @IsOptional()
  @IsBoolean({ message: 'bind must be true or false' })
  bind?: boolean;
}

/** An uploaded log file a train job reads instead of the LOGS stream (its records sit in the payloads bucket). */
export class TrainInputFile {
  /** object name in the payloads bucket holding `{ records: LogRecordInput[] }` */
  @IsString()
  @MaxLength(128)
  payloadObject!: string;

  @IsString()
  @MaxLength(256)
  name!: string;

  @IsInt()
  @Min(0)
  bytes!: number;

  @IsInt()
  @Min(0)
  lines!: number;
}

/** The file a job was given, as the job shows it (the records themselves are not part of the job). */
export interface TrainFileDto {
  name: string;
  bytes: number;
  lines: number;
}

export interface JobProgressDto {
  stage: string;
  done: number;
  total: number;
}

/** What a train job produced. `summary` is libs/source-models' SourceModelSummary. */
export interface JobResultDto {
  /** name@N */
  version: string;
  summary: Record<string, unknown>;
  /** outcome of the version's validation */
  validation?: 'pass' | 'warn' | 'fail' | null;
  deployed?: boolean;
  bound?: string[];
}

export interface JobErrorDto {
  code: string;
  message: string;
}

/** A long-running job as the API and the console see it. */
export interface JobDto {
  id: string;
  kind: JobKind;
  model: string;
  state: JobState;
  progress: JobProgressDto;
  params: TrainParams & { file?: TrainFileDto };
  result?: JobResultDto;
  error?: JobErrorDto;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Queues a train job for a model (the model is created by the job's first version when it does not exist yet).
 * `params` and `file` are checked as TrainParams / TrainInputFile by the registry (nested classes would need
 * class-transformer's reflection, which this framework-free library does not load).
 */
export class CreateTrainJobRequest {
  @IsString()
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model!: string;

  @IsObject()
  params!: TrainParams;

  @IsOptional()
  @IsObject()
  file?: TrainInputFile;

  @IsString()
  @MaxLength(128)
  createdBy!: string;
}

/** One job by id. */
export class GetJobRequest {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a job id (UUID)' })
  id!: string;
}

/** Jobs, newest first. */
export class ListJobsRequest {
  @IsOptional()
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model?: string;

  @IsOptional()
  @IsIn(JOB_STATES as unknown as string[], { message: `state must be one of ${JOB_STATES.join(', ')}` })
  state?: JobState;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
export interface ListJobsReply {
  jobs: JobDto[];
}

export class JobProgressMessage implements JobProgressDto {
  @IsString()
  @MaxLength(64)
  stage!: string;

  @IsInt()
  @Min(0)
  done!: number;

  @IsInt()
  @Min(0)
  total!: number;
}

export class JobErrorMessage implements JobErrorDto {
  @IsString()
  @MaxLength(64)
  code!: string;

  @IsString()
  @MaxLength(4000)
  message!: string;
}

/**
 * A trainer reports on a job: `running` claims it (again, after a trainer restart), progress moves it on, and
 * `succeeded` / `failed` end it. A finished job never changes again.
 */
export class UpdateJobRequest {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a job id (UUID)' })
  id!: string;

  @IsOptional()
  @IsIn(['running', 'succeeded', 'failed'], { message: 'state must be running, succeeded or failed' })
  state?: Exclude<JobState, 'queued'>;

  @IsOptional()
  @IsObject()
  progress?: JobProgressDto;

  @IsOptional()
  @IsObject()
  result?: JobResultDto;

  @IsOptional()
  @IsObject()
  error?: JobErrorDto;

  /** the trainer instance reporting */
  @IsString()
  @MaxLength(128)
  worker!: string;
}

/** The work item a trainer takes from the JetStream work queue (the job itself lives in the registry). */
export interface TrainWorkItem {
  jobId: string;
  /** the uploaded file's object in the payloads bucket, when the job trains on a file */
  payloadObject?: string;
}

/** Broadcast on every job change (`jobs.events.<state>.v1`, `jobs.events.progress.v1`). */
export class JobChangedEvent {
  @IsObject()
  job!: JobDto;

  @IsString()
  at!: string;
}

/** Which model scores a source's windows, and with which agent. */
export interface SourceBindingDto {
  source: string;
  model: string;
  agent: AgentKind;
  boundBy: string;
  boundAt: string;
}

/** Binds a source to a model (replacing its binding); the change is recorded in the model's history. */
export class BindSourceRequest {
  @Matches(SOURCE_NAME_PATTERN, { message: SOURCE_MESSAGE })
  source!: string;

  @IsString()
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model!: string;

  /** default: what the model's latest version says (metadata.agent), else where the source's logs are */
  @IsOptional()
  @IsIn(AGENT_KINDS as unknown as string[])
  agent?: AgentKind;

  @IsString()
  @MaxLength(128)
  actor!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

/** Removes a source's binding: its windows go back to the agent's default model. */
export class UnbindSourceRequest {
  @Matches(SOURCE_NAME_PATTERN, { message: SOURCE_MESSAGE })
  source!: string;

  @IsString()
  @MaxLength(128)
  actor!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

/** Every binding (optionally of one agent kind). */
export class ListBindingsRequest {
  @IsOptional()
  @IsIn(AGENT_KINDS as unknown as string[])
  agent?: AgentKind;
}
export interface ListBindingsReply {
  bindings: SourceBindingDto[];
}

/** Broadcast after a source was bound (`binding` set) or unbound (`binding` null, `previous` set). */
export class SourceBindingEvent {
  @IsString()
  source!: string;

  @IsOptional()
  @IsObject()
  binding!: SourceBindingDto | null;

  @IsOptional()
  @IsObject()
  previous!: SourceBindingDto | null;

  @IsString()
  actor!: string;

  @IsString()
  at!: string;
}
