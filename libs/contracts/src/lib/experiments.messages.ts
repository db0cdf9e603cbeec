import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  IsObject,
} from 'class-validator';
import { LogLensError } from './errors';
import { validateMessage } from './validate';
import { MODEL_NAME_MESSAGE, MODEL_NAME_PATTERN } from './version-ref';

/** Experiments: A/B tests, canary rollouts and shadow traffic between versions of one model, kept by the registry. */

export const EXPERIMENT_KINDS = ['ab', 'canary', 'shadow'] as const;
export type ExperimentKind = (typeof EXPERIMENT_KINDS)[number];

/** `running` and `paused` are active (one per model; deploys and rollbacks of the model wait for its end). */
export const EXPERIMENT_STATES = ['running', 'paused', 'promoted', 'rolled-back', 'aborted', 'completed'] as const;
export type ExperimentState = (typeof EXPERIMENT_STATES)[number];
export const ACTIVE_EXPERIMENT_STATES: readonly ExperimentState[] = ['running', 'paused'];

export const STICKINESS_KEYS = ['source', 'host', 'window-key', 'header'] as const;
export type StickinessKey = (typeof STICKINESS_KEYS)[number];

export const EXPERIMENT_ACTIONS = ['pause', 'resume', 'promote', 'abort'] as const;
export type ExperimentAction = (typeof EXPERIMENT_ACTIONS)[number];

const VERSION_NUMBER = /^(\d+|[a-z][a-z0-9_-]{0,31})$/;
const VERSION_NUMBER_MESSAGE = { message: 'version must be a version number (3) or an alias of the model' };

/** One candidate version and its share of the traffic in percent. */
export class ExperimentCandidateSpec {
  @IsString()
  @Matches(VERSION_NUMBER, VERSION_NUMBER_MESSAGE)
  version!: string;

  @IsNumber({}, { message: 'weight must be a number of percent' })
  @Min(0)
  @Max(100)
  weight!: number;
}

export class StickinessSpec {
  @IsIn(STICKINESS_KEYS as unknown as string[], { message: `stickiness.key must be one of ${STICKINESS_KEYS.join(', ')}` })
  key!: StickinessKey;
}

/** Flagger's knobs: a check every intervalSec; pass → +stepWeight up to maxWeight; pass at maxWeight → promote. */
export class CanarySpec {
  @IsNumber()
  @Min(1)
  @Max(100)
  stepWeight!: number;

  @IsNumber()
  @Min(1)
  @Max(100)
  maxWeight!: number;

  @IsInt()
  @Min(1)
  @Max(86_400)
  intervalSec!: number;

  @IsInt()
  @Min(1)
  @Max(100)
  failureThreshold!: number;
}

export class ShadowSpec {
  @IsNumber()
  @Min(1)
  @Max(100)
  percent!: number;
}

/** What the candidate must hold to: checked every canary interval and over the whole experiment in the report. */
export class ExperimentCriteriaSpec {
  @IsNumber()
  @Min(0)
  @Max(1)
  maxErrorRate!: number;

  @IsNumber()
  @Min(0)
  maxP99Ms!: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  maxAnomalyRateDelta?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  minAgreement?: number;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minSamples!: number;
}

/**
 * Starts an experiment on a model's traffic. The control defaults to the serving version. The nested parts are
 * checked by {@link checkExperimentSpec} (nested classes would need class-transformer's reflection, which this
 * framework-free library does not load).
 */
export class CreateExperimentRequest {
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model!: string;

  @IsIn(EXPERIMENT_KINDS as unknown as string[], { message: `kind must be one of ${EXPERIMENT_KINDS.join(', ')}` })
  kind!: ExperimentKind;

  @IsOptional()
  @IsString()
  @Matches(VERSION_NUMBER, VERSION_NUMBER_MESSAGE)
  control?: string;

  @IsArray()
  @ArrayMinSize(1, { message: 'candidates must name at least one version' })
  @ArrayMaxSize(4)
  @IsObject({ each: true, message: 'candidates must be objects { version, weight }' })
  candidates!: ExperimentCandidateSpec[];

  @IsOptional()
  @IsObject()
  stickiness?: StickinessSpec;

  @IsOptional()
  @IsObject()
  canary?: CanarySpec;

  @IsOptional()
  @IsObject()
  shadow?: ShadowSpec;

  @IsObject()
  criteria!: ExperimentCriteriaSpec;

  @IsString()
  @MaxLength(128)
  actor!: string;
}

/** One experiment by id. */
export class GetExperimentRequest {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a UUID' })
  id!: string;
}

export class ListExperimentsRequest {
  @IsOptional()
  @Matches(MODEL_NAME_PATTERN, MODEL_NAME_MESSAGE)
  model?: string;

  @IsOptional()
  @IsIn(EXPERIMENT_STATES as unknown as string[])
  state?: ExperimentState;
}

/** pause / resume / promote / abort. */
export class ChangeExperimentRequest extends GetExperimentRequest {
  @IsIn(EXPERIMENT_ACTIONS as unknown as string[], { message: `action must be one of ${EXPERIMENT_ACTIONS.join(', ')}` })
  action!: ExperimentAction;

  @IsString()
  @MaxLength(128)
  actor!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  /** promote: the candidate to serve (needed only when an A/B has several) */
  @IsOptional()
  @IsString()
  @Matches(VERSION_NUMBER, VERSION_NUMBER_MESSAGE)
  version?: string;
}

/** One decision or operator action in an experiment's life. */
export interface ExperimentStepDto {
  at: string;
  action: 'start' | 'step' | 'hold' | 'pause' | 'resume' | 'promote' | 'rollback' | 'abort' | 'complete';
  /** the candidates' weights after the step, by version ref */
  weights: Record<string, number>;
  actor: string;
  reason: string;
}

export interface ExperimentDto {
  id: string;
  model: string;
  kind: ExperimentKind;
  /** version refs (`name@N`) */
  control: string;
  candidates: Array<{ version: string; weight: number }>;
  stickiness: { key: StickinessKey } | null;
  canary: { stepWeight: number; maxWeight: number; intervalSec: number; failureThreshold: number } | null;
  shadow: { percent: number } | null;
  criteria: { maxErrorRate: number; maxP99Ms: number; maxAnomalyRateDelta?: number; minAgreement?: number; minSamples: number };
  state: ExperimentState;
  failedChecks: number;
  steps: ExperimentStepDto[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

/** An experiment's report: the experiment and its per-arm comparison (the registry builds it with @loglens/experiments). */
export type ExperimentReportReply = { experiment: ExperimentDto };

export interface ListExperimentsReply {
  experiments: ExperimentDto[];
}

/** Broadcast (registry.events.>) on every change of an experiment; workers route by the latest one. */
export class ExperimentChangedEvent {
  @IsObject()
  experiment!: ExperimentDto;

  @IsString()
  action!: ExperimentStepDto['action'];

  @IsString()
  at!: string;
}

/** Validates the nested parts of a create request (and the rules across them), naming every bad field. */
export function checkExperimentSpec(req: CreateExperimentRequest): CreateExperimentRequest {
  const candidates = req.candidates.map((c) => ({ ...validateMessage(ExperimentCandidateSpec, c) }));
  const out: CreateExperimentRequest = {
    ...req,
    candidates,
    criteria: { ...validateMessage(ExperimentCriteriaSpec, req.criteria) },
    ...(req.stickiness ? { stickiness: { ...validateMessage(StickinessSpec, req.stickiness) } } : {}),
    ...(req.canary ? { canary: { ...validateMessage(CanarySpec, req.canary) } } : {}),
    ...(req.shadow ? { shadow: { ...validateMessage(ShadowSpec, req.shadow) } } : {}),
  };
  const problems: string[] = [];
  const total = candidates.reduce((sum, c) => sum + c.weight, 0);
  if (total > 100) problems.push(`candidates' weights add up to ${total}: at most 100`);
  if (new Set(candidates.map((c) => c.version)).size !== candidates.length) problems.push('candidates name the same version twice');
  if (req.kind !== 'ab' && candidates.length !== 1) problems.push(`a ${req.kind} experiment has exactly one candidate`);
  if (req.kind === 'canary' && !out.canary) problems.push('a canary experiment needs canary { stepWeight, maxWeight, intervalSec, failureThreshold }');
  if (req.kind !== 'canary' && out.canary) problems.push(`canary settings are for kind canary, not ${req.kind}`);
  if (req.kind === 'shadow' && !out.shadow) problems.push('a shadow experiment needs shadow { percent }');
  if (req.kind !== 'shadow' && out.shadow) problems.push(`shadow settings are for kind shadow, not ${req.kind}`);
  if (req.kind === 'shadow' && candidates.some((c) => c.weight !== 0)) problems.push('a shadow candidate answers no caller: its weight must be 0');
  if (req.kind === 'ab' && candidates.some((c) => c.weight <= 0)) problems.push('every A/B candidate needs a weight above 0');
  if (out.canary && out.canary.stepWeight > out.canary.maxWeight) problems.push('canary.stepWeight must not exceed canary.maxWeight');
  if (problems.length > 0) throw new LogLensError('VALIDATION_FAILED', `invalid experiment: ${problems.join('; ')}`, problems);
  return out;
}

/**
 * A worker's per-arm counts of one experiment since its last report (the experiments lib's ArmCounts), published
 * every second or so; one registry instance (queue group) adds them to the experiment's interval and totals.
 */
export class ExperimentStatsMessage {
  @Matches(/^[0-9a-f-]{36}$/, { message: 'experimentId must be a UUID' })
  experimentId!: string;

  @IsString()
  @MaxLength(128)
  worker!: string;

  @IsArray()
  @ArrayMaxSize(8)
  @IsObject({ each: true })
  arms!: Array<Record<string, unknown>>;
}
