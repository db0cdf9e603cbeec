import {
  AnalysisSubjects,
  DriftSubjects,
  RegistrySubjects,
  bareSubject,
  type DeployAction,
  type JobDto,
  type JobState,
  type ServingVersionDto,
  type SourceBindingEvent,
  type WindowResultDto,
} from '@loglens/contracts/protocol';

/**
 * The SSE event names the console listens to: the registry's NATS subjects without the namespace (the gateway relays
 * them so), taken from the contracts, each typed as its literal.
 */
export const LiveSubjects = {
  versionDeployed: bareSubject(RegistrySubjects.versionDeployed),
  versionRegistered: bareSubject(RegistrySubjects.versionRegistered),
  versionValidated: bareSubject(RegistrySubjects.versionValidated),
  versionLoadRequested: bareSubject(RegistrySubjects.versionLoadRequested),
  versionUnloadRequested: bareSubject(RegistrySubjects.versionUnloadRequested),
  versionArchived: bareSubject(RegistrySubjects.versionArchived),
  aliasChanged: bareSubject(RegistrySubjects.aliasChanged),
} as const;
type Subjects = typeof LiveSubjects;

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
 * streaming agent). Taken from the contract's subject prefix, like LiveSubjects.
 */
export const ANOMALY_EVENT = bareSubject(AnalysisSubjects.anomalies);

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

/** Source binding changes (bind / unbind), the registry's subjects taken from the contracts like LiveSubjects. */
export const BindingSubjects = {
  sourceBound: bareSubject(RegistrySubjects.sourceBound),
  sourceUnbound: bareSubject(RegistrySubjects.sourceUnbound),
} as const;

/** Drift crossings (detected / cleared) of a version over the registry's check window, relayed from its events. */
export const DRIFT_EVENTS = [bareSubject(DriftSubjects.detected), bareSubject(DriftSubjects.cleared)] as const;

/** Enough of a drift-changed event to act on: the version it is about. */
export function isDriftEvent(value: unknown): value is { model: string; version: string; drifted: string[]; at: string } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['model'] === 'string' && typeof v['version'] === 'string' && Array.isArray(v['drifted']);
}

/** Experiment changes (start, steps, pauses, promotions, rollbacks, aborts), relayed from the registry's events. */
export const EXPERIMENT_EVENT = bareSubject(RegistrySubjects.experimentChanged);

/** Enough of an experiment-changed event to act on: the experiment's id, model and state, and the step's action. */
export function isExperimentEvent(value: unknown): value is { experiment: { id: string; model: string; state: string }; action: string; at: string } {
  if (typeof value !== 'object' || value === null) return false;
  const e = (value as { experiment?: unknown }).experiment;
  return typeof e === 'object' && e !== null && typeof (e as { id?: unknown }).id === 'string' && typeof (e as { model?: unknown }).model === 'string';
}

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
