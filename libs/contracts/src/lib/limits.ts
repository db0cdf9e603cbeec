/**
 * Limits, names and enumerations shared by the services and the console. Dependency-free (no class-validator): the
 * console imports them through `@loglens/contracts/protocol`, the message classes use them for their checks.
 */

/** alias names: `production`, `staging`, `champion`, `challenger` or user-defined; never `latest` or a number */
export const ALIAS_PATTERN = /^(?!latest$)[a-z][a-z0-9_-]{0,31}$/;

/** Largest artifact an upload may carry (the gateway's MODEL_UPLOAD_LIMIT may lower it). */
export const UPLOAD_MAX_BYTES = 100 * 1024 * 1024;

/** Rows one predict request may carry. */
export const PREDICT_MAX_ROWS = 10_000;

/** Records one analyze request may carry. */
export const ANALYZE_MAX_RECORDS = 10_000;

export const AGENT_KINDS = ['base', 'wifi'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** A source or site name as it appears in `logs.generic.<source>` / `logs.wifi.<site>`. */
export const SOURCE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Detector families a train job can ask for (libs/source-models implements them). */
export const TRAIN_ALGORITHMS = ['pca', 'iforest'] as const;
export type TrainAlgorithm = (typeof TRAIN_ALGORITHMS)[number];

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const JOB_KINDS = ['train'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** The roles of an API key, weakest first (the gateway checks them, the console shows what each may do). */
export const API_KEY_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const DEPLOY_ACTIONS = ['deploy', 'rollback', 'fallback', 'promote'] as const;
/** the serving-version changes; alias moves are 'alias-set' / 'alias-delete' history entries */
export type DeployAction = (typeof DEPLOY_ACTIONS)[number];
