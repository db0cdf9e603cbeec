import type {
  AnalysisSubjects,
  DeployAction,
  JobDto,
  JobState,
  RegistrySubjects,
  ServingVersionDto,
  SourceBindingEvent,
  WindowResultDto,
} from '@loglens/contracts';

type Subjects = typeof RegistrySubjects;

/**
 * The SSE event names the console listens to: the registry's NATS subjects, copied because a value import of
 * @loglens/contracts would bundle class-validator. Each constant is typed as the contract's literal, so a renamed
 * subject fails the build here instead of silently never firing.
 */
export const LiveSubjects: {
  [K in
    | 'versionDeployed'
    | 'versionRegistered'
    | 'versionValidated'
    | 'versionLoadRequested'
    | 'versionUnloadRequested'
    | 'versionArchived'
    | 'aliasChanged']: Subjects[K];
} = {
  versionDeployed: 'registry.events.version-deployed.v1',
  versionRegistered: 'registry.events.version-registered.v1',
  versionValidated: 'registry.events.version-validated.v1',
  versionLoadRequested: 'registry.events.version-load-requested.v1',
  versionUnloadRequested: 'registry.events.version-unload-requested.v1',
  versionArchived: 'registry.events.version-archived.v1',
  aliasChanged: 'registry.events.alias-changed.v1',
};

export type LiveSubject = (typeof LiveSubjects)[keyof typeof LiveSubjects];

/** version-deployed: a model's serving version changed (deploy, rollback, fallback, promote). */
export interface DeployedEventData {
  model: string;
  serving: Pick<ServingVersionDto, 'ref' | 'version'>;
  previousRef: string | null;
  action: DeployAction;
  actor: string;
  at: string;
}

/** every other registry event: a version (or alias) of `model` changed */
export interface LifecycleEventData {
  model: string;
  ref: string;
  actor: string;
  at: string;
  detail?: Record<string, unknown>;
}

export type LiveEvent =
  | { type: Subjects['versionDeployed']; data: DeployedEventData }
  | { type: Exclude<LiveSubject, Subjects['versionDeployed']>; data: LifecycleEventData };

export function isDeployedEvent(
  e: LiveEvent,
): e is Extract<LiveEvent, { type: Subjects['versionDeployed'] }> {
  return e.type === LiveSubjects.versionDeployed;
}

/**
 * The SSE event name the gateway gives every `anomalies.detected.<source>` message (an anomalous window found by a
 * streaming agent). Typed as the contract's subject prefix, like LiveSubjects.
 */
export const ANOMALY_EVENT: (typeof AnalysisSubjects)['anomalies'] = 'anomalies.detected';

/** Enough of a WindowResultDto to show it; anything less is dropped as malformed. */
export function isWindowResult(value: unknown): value is WindowResultDto {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['id'] === 'string' &&
    typeof v['key'] === 'string' &&
    typeof v['start'] === 'string' &&
    typeof v['end'] === 'string' &&
    typeof v['isAnomaly'] === 'boolean'
  );
}

/**
 * SSE names of train-job changes: the gateway relays `jobs.events.<state>.v1` as `jobs.<state>` (and progress as
 * `jobs.progress`). Each carries `{ job: JobDto, at }`.
 */
export const JOB_EVENTS = ['jobs.queued', 'jobs.running', 'jobs.progress', 'jobs.succeeded', 'jobs.failed'] as const satisfies ReadonlyArray<`jobs.${JobState | 'progress'}`>;

/** Source binding changes (bind / unbind), the registry's subjects typed as the contract's literals like LiveSubjects. */
export const BindingSubjects: { [K in 'sourceBound' | 'sourceUnbound']: Subjects[K] } = {
  sourceBound: 'registry.events.source-bound.v1',
  sourceUnbound: 'registry.events.source-unbound.v1',
};

/** Enough of a JobDto to show it; anything less is dropped as malformed. */
export function isJob(value: unknown): value is JobDto {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['id'] === 'string' &&
    typeof v['model'] === 'string' &&
    typeof v['state'] === 'string' &&
    typeof v['progress'] === 'object' &&
    v['progress'] !== null
  );
}

/** Enough of a SourceBindingEvent to act on: which source changed. */
export function isBindingEvent(value: unknown): value is SourceBindingEvent {
  return typeof value === 'object' && value !== null && typeof (value as { source?: unknown }).source === 'string';
}
