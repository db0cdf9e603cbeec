import { jetStreamName, namespaced } from './namespace';
import { event, rpc } from './typed-subject';
import type {
  ArtifactChunkReply,
  CurrentVersionsReply,
  CurrentVersionsRequest,
  DeployVersionReply,
  DeployVersionRequest,
  GetArtifactChunkRequest,
  GetVersionReply,
  GetVersionRequest,
  ListModelsReply,
  ListModelsRequest,
  RegisterVersionReply,
  RegisterVersionRequest,
  ServingInfoReply,
  ServingInfoRequest,
  ServingStateReply,
  ServingStateRequest,
  VersionDeployedEvent,
  VersionLifecycleEvent,
} from './registry.messages';
import type {
  AliasReply,
  ArchiveVersionReply,
  ArchiveVersionRequest,
  BeginUploadReply,
  BeginUploadRequest,
  CommitUploadReply,
  CommitUploadRequest,
  DeleteAliasRequest,
  FallbackReply,
  FallbackRequest,
  GetValidationReply,
  GetValidationRequest,
  HistoryReply,
  HistoryRequest,
  LoadVersionReply,
  LoadVersionRequest,
  RollbackReply,
  RollbackRequest,
  SetAliasRequest,
  TagVersionReply,
  TagVersionRequest,
  UploadChunkReply,
  UploadChunkRequest,
  ValidateVersionReply,
  ValidateVersionRequest,
} from './lifecycle.messages';
import type {
  ClaimIdempotencyKeyReply,
  ClaimIdempotencyKeyRequest,
  SettleIdempotencyKeyReply,
  SettleIdempotencyKeyRequest,
} from './idempotency.messages';
import type {
  BindSourceRequest,
  CreateTrainJobRequest,
  GetJobRequest,
  JobChangedEvent,
  JobDto,
  ListBindingsReply,
  ListBindingsRequest,
  ListJobsReply,
  ListJobsRequest,
  SourceBindingDto,
  SourceBindingEvent,
  TrainWorkItem,
  UnbindSourceRequest,
  UpdateJobRequest,
} from './sources.messages';
import type {
  ApiKeyHashesReply,
  ApiKeyHashesRequest,
  ApiKeysChangedEvent,
  CreateApiKeyReply,
  CreateApiKeyRequest,
  ListApiKeysReply,
  ListApiKeysRequest,
  ListAuditReply,
  ListAuditRequest,
  RecordAuditReply,
  RecordAuditRequest,
  RevokeApiKeyReply,
  RevokeApiKeyRequest,
  TouchApiKeysReply,
  TouchApiKeysRequest,
} from './auth.messages';
import type {
  InferReply,
  InferRequest,
  PredictReply,
  PredictRequest,
  ShadowPoolProbeReply,
  ShadowPoolProbeRequest,
  ValidateArtifactReply,
  ValidateArtifactRequest,
} from './inference.messages';
import type { InferBinaryReplyHead, InferBinaryRequest } from './tensor-frame';
import type { PredictBinaryReplyHead, PredictBinaryRequestHead } from './predict-frame';
import type { WorkerMetricsReply, WorkerMetricsRequest } from './performance.dto';
import type { HealthPingReply, HealthPingRequest } from './health.messages';
import type {
  ChangeExperimentRequest,
  CreateExperimentRequest,
  ExperimentChangedEvent,
  ExperimentDto,
  ExperimentReportReply,
  ExperimentStatsMessage,
  GetExperimentRequest,
  ListExperimentsReply,
  ListExperimentsRequest,
} from './experiments.messages';
import type {
  AnalyzeCancelEvent,
  AnalyzeReply,
  AnalyzeRequest,
  LargeReply,
  ListDeadLettersReply,
  ListDeadLettersRequest,
  ListResultsReply,
  ListResultsRequest,
  WindowResultDto,
} from './analysis.messages';
import type { DriftChangedEvent, DriftProfileBucket, DriftReportReply, DriftReportRequest, DriftStatusEvent } from './drift.messages';

/**
 * Every NATS subject LogLens uses, one symbol each, with what travels on it: `rpc<Request, Reply>()` for
 * request/reply (and scatter-gather) subjects, `event<Payload>()` for broadcasts and JetStream subjects (see
 * typed-subject.ts); prefixes and subjects carrying raw bytes (log lines, dead letters) stay plain strings.
 * Producers and consumers import these; a subject string is never written twice. A breaking change to a message adds
 * `.v2` beside `.v1`. Each map is written bare and wrapped in `namespaced()`, which prefixes every subject with
 * LOGLENS_NAMESPACE (`loglens.registry.model.list.v1`) and keeps the types.
 */
export const RegistrySubjects = namespaced({
  listModels: rpc<ListModelsRequest, ListModelsReply>()('registry.model.list.v1'),
  getVersion: rpc<GetVersionRequest, GetVersionReply>()('registry.version.get.v1'),
  currentVersions: rpc<CurrentVersionsRequest, CurrentVersionsReply>()('registry.version.current.v1'),
  registerVersion: rpc<RegisterVersionRequest, RegisterVersionReply>()('registry.version.register.v1'),
  deployVersion: rpc<DeployVersionRequest, DeployVersionReply>()('registry.version.deploy.v1'),
  getArtifactChunk: rpc<GetArtifactChunkRequest, ArtifactChunkReply>()('registry.artifact.chunk.v1'),
  servingState: rpc<ServingStateRequest, ServingStateReply>()('registry.serving-state.get.v1'),
  /** what a worker needs to serve one version (any version, serving or pinned) */
  servingInfo: rpc<ServingInfoRequest, ServingInfoReply>()('registry.serving-info.get.v1'),
  beginUpload: rpc<BeginUploadRequest, BeginUploadReply>()('registry.upload.begin.v1'),
  uploadChunk: rpc<UploadChunkRequest, UploadChunkReply>()('registry.upload.chunk.v1'),
  commitUpload: rpc<CommitUploadRequest, CommitUploadReply>()('registry.upload.commit.v1'),
  validateVersion: rpc<ValidateVersionRequest, ValidateVersionReply>()('registry.version.validate.v1'),
  getValidation: rpc<GetValidationRequest, GetValidationReply>()('registry.version.validation.v1'),
  loadVersion: rpc<LoadVersionRequest, LoadVersionReply>()('registry.version.load.v1'),
  unloadVersion: rpc<LoadVersionRequest, LoadVersionReply>()('registry.version.unload.v1'),
  archiveVersion: rpc<ArchiveVersionRequest, ArchiveVersionReply>()('registry.version.archive.v1'),
  tagVersion: rpc<TagVersionRequest, TagVersionReply>()('registry.version.tag.v1'),
  rollback: rpc<RollbackRequest, RollbackReply>()('registry.model.rollback.v1'),
  fallback: rpc<FallbackRequest, FallbackReply>()('registry.model.fallback.v1'),
  history: rpc<HistoryRequest, HistoryReply>()('registry.history.list.v1'),
  setAlias: rpc<SetAliasRequest, AliasReply>()('registry.alias.set.v1'),
  deleteAlias: rpc<DeleteAliasRequest, AliasReply>()('registry.alias.delete.v1'),
  /** Idempotency-Key of a REST change: claimed before it runs (one claim wins across gateways), settled after */
  claimIdempotencyKey: rpc<ClaimIdempotencyKeyRequest, ClaimIdempotencyKeyReply>()(
    'registry.idempotency.claim.v1',
  ),
  settleIdempotencyKey: rpc<SettleIdempotencyKeyRequest, SettleIdempotencyKeyReply>()(
    'registry.idempotency.settle.v1',
  ),
  /** broadcast (no queue group): every worker must see it */
  versionDeployed: event<VersionDeployedEvent>()('registry.events.version-deployed.v1'),
  versionRegistered: event<VersionLifecycleEvent>()('registry.events.version-registered.v1'),
  versionValidated: event<VersionLifecycleEvent>()('registry.events.version-validated.v1'),
  versionLoadRequested: event<VersionLifecycleEvent>()('registry.events.version-load-requested.v1'),
  versionUnloadRequested: event<VersionLifecycleEvent>()('registry.events.version-unload-requested.v1'),
  versionArchived: event<VersionLifecycleEvent>()('registry.events.version-archived.v1'),
  aliasChanged: event<VersionLifecycleEvent>()('registry.events.alias-changed.v1'),
  /** source → model bindings (per-source models) */
  bindSource: rpc<BindSourceRequest, SourceBindingDto>()('registry.source.bind.v1'),
  unbindSource: rpc<UnbindSourceRequest, SourceBindingDto>()('registry.source.unbind.v1'),
  listBindings: rpc<ListBindingsRequest, ListBindingsReply>()('registry.source.list.v1'),
  /** broadcast: every agent instance follows bindings */
  sourceBound: event<SourceBindingEvent>()('registry.events.source-bound.v1'),
  sourceUnbound: event<SourceBindingEvent>()('registry.events.source-unbound.v1'),
  /** train jobs: created by the gateway, run by the trainer, kept in the registry */
  createJob: rpc<CreateTrainJobRequest, JobDto>()('registry.job.create.v1'),
  getJob: rpc<GetJobRequest, JobDto>()('registry.job.get.v1'),
  listJobs: rpc<ListJobsRequest, ListJobsReply>()('registry.job.list.v1'),
  updateJob: rpc<UpdateJobRequest, JobDto>()('registry.job.update.v1'),
  /** experiments (A/B, canary, shadow): created and changed through the gateway, decided by the registry */
  createExperiment: rpc<CreateExperimentRequest, ExperimentDto>()('registry.experiment.create.v1'),
  getExperiment: rpc<GetExperimentRequest, ExperimentDto>()('registry.experiment.get.v1'),
  listExperiments: rpc<ListExperimentsRequest, ListExperimentsReply>()('registry.experiment.list.v1'),
  changeExperiment: rpc<ChangeExperimentRequest, ExperimentDto>()('registry.experiment.change.v1'),
  experimentReport: rpc<GetExperimentRequest, ExperimentReportReply>()('registry.experiment.report.v1'),
  /** workers → registry (queue group): per-arm counts since the last report */
  experimentStats: event<ExperimentStatsMessage>()('registry.experiment.stats.v1'),
  /** broadcast: workers route by the latest state; the gateway relays it as SSE */
  experimentChanged: event<ExperimentChangedEvent>()('registry.events.experiment-changed.v1'),
  /** the DEADLETTER stream's messages, newest first (called only by the gateway) */
  listDeadLetters: rpc<ListDeadLettersRequest, ListDeadLettersReply>()('registry.deadletters.list.v1'),
  /** wildcard the gateway relays to SSE clients */
  allEvents: event<VersionDeployedEvent | VersionLifecycleEvent | SourceBindingEvent | ExperimentChangedEvent | DriftChangedEvent>()('registry.events.>'),
});

/**
 * API keys and the audit log: kept by the registry, called only by the gateway. Not under `registry.events.>`, which
 * the gateway relays to every SSE client: key changes are for gateways only.
 */
export const AuthSubjects = namespaced({
  listKeys: rpc<ListApiKeysRequest, ListApiKeysReply>()('registry.auth.key.list.v1'),
  /** the active keys' hashes, for the gateways' caches */
  keyHashes: rpc<ApiKeyHashesRequest, ApiKeyHashesReply>()('registry.auth.key.hashes.v1'),
  createKey: rpc<CreateApiKeyRequest, CreateApiKeyReply>()('registry.auth.key.create.v1'),
  revokeKey: rpc<RevokeApiKeyRequest, RevokeApiKeyReply>()('registry.auth.key.revoke.v1'),
  touchKeys: rpc<TouchApiKeysRequest, TouchApiKeysReply>()('registry.auth.key.touch.v1'),
  recordAudit: rpc<RecordAuditRequest, RecordAuditReply>()('registry.auth.audit.record.v1'),
  listAudit: rpc<ListAuditRequest, ListAuditReply>()('registry.auth.audit.list.v1'),
  /** broadcast: every gateway reloads its key cache */
  keysChanged: event<ApiKeysChangedEvent>()('auth.events.keys-changed.v1'),
});

export const InferenceSubjects = namespaced({
  predict: rpc<PredictRequest, PredictReply>()('inference.predict.v1'),
  /** typed tensors in, typed tensors out (the Open Inference Protocol's shape) */
  infer: rpc<InferRequest, InferReply>()('inference.infer.v1'),
  /**
   * the same with tensors as bytes: a frame of a 4-byte length, a JSON head (InferBinaryRequest; the reply's is
   * `{response: InferBinaryReply} | {err}`) and the tensors' raw little-endian bytes (encodeTensorFrame)
   */
  inferBinary: rpc<InferBinaryRequest, InferBinaryReplyHead>()('inference.infer-binary.v1'),
  /**
   * predict with feature-vector rows and the reply's scores and numeric outputs as FP64 tensors, in the infer-binary
   * frame (predict-frame.ts); a worker that does not answer it is asked on `predict` in JSON
   */
  predictBinary: rpc<PredictBinaryRequestHead, PredictBinaryReplyHead>()('inference.predict-binary.v1'),
  /** one worker loads an artifact, runs a test inference and releases it: the validation's last check */
  validateArtifact: rpc<ValidateArtifactRequest, ValidateArtifactReply>()('inference.validate-artifact.v1'),
  /** scatter-gather (no queue group): every worker answers with its metrics */
  metrics: rpc<WorkerMetricsRequest, WorkerMetricsReply>()('inference.metrics.v1'),
  /**
   * Answered by the shadow pool (workers started with `WORKER_POOL=shadow`, queue group `inference-shadow`). The pool
   * takes its copies of predict traffic from NATS itself (a second queue group on `inference.predict.v1`, so the
   * server hands it one copy of each request); a serving worker that gets an answer here leaves its shadow copies to
   * the pool instead of scoring them.
   */
  shadowPool: rpc<ShadowPoolProbeRequest, ShadowPoolProbeReply>()('inference.shadow-pool.v1'),
});

/**
 * Train jobs. Work items travel on a JetStream work-queue stream (each taken by one trainer, redelivered when a
 * trainer dies); every job change is broadcast on `jobs.events.<state>.v1` (the gateway relays it as SSE `jobs.<state>`).
 */
export const JobSubjects = namespaced({
  /** JetStream subject of the JOBS work queue */
  trainWork: event<TrainWorkItem>()('jobs.work.train.v1'),
  queued: event<JobChangedEvent>()('jobs.events.queued.v1'),
  running: event<JobChangedEvent>()('jobs.events.running.v1'),
  progress: event<JobChangedEvent>()('jobs.events.progress.v1'),
  succeeded: event<JobChangedEvent>()('jobs.events.succeeded.v1'),
  failed: event<JobChangedEvent>()('jobs.events.failed.v1'),
  allEvents: event<JobChangedEvent>()('jobs.events.>'),
});

/** The trainers' work queue: a work-queue stream and the durable every trainer instance shares. */
export const TrainerStreams = {
  jobs: jetStreamName('JOBS'),
  durable: jetStreamName('trainer'),
} as const;

export const HealthSubjects = namespaced({
  /** scatter-gather: every instance of every service answers, so the gateway can count them */
  ping: rpc<HealthPingRequest, HealthPingReply>()('health.ping.v1'),
});

/** Raw logs enter on `logs.wifi.<site>` / `logs.generic.<source>`, kept by the JetStream stream LOGS (raw lines: plain subjects). */
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
  allResults: event<WindowResultDto>()('analysis.results.>'),
  allAnomalies: event<WindowResultDto>()('anomalies.detected.>'),
  /** stored results, queried from the registry */
  listResults: rpc<ListResultsRequest, ListResultsReply>()('registry.analysis.results.list.v1'),
});

/** Asks an agent to analyze records now; a reply too large for one message is left in the payloads bucket. */
export const AgentSubjects = namespaced({
  analyzeBase: rpc<AnalyzeRequest, AnalyzeReply | LargeReply>()('agents.base.analyze.v1'),
  analyzeWifi: rpc<AnalyzeRequest, AnalyzeReply | LargeReply>()('agents.wifi.analyze.v1'),
  /** the gateway's HTTP client went away: the agent working on `requestId` stops (broadcast) */
  analyzeCancel: event<AnalyzeCancelEvent>()('agents.analyze.cancel.v1'),
});

/**
 * Drift monitoring (docs/monitoring.md): agents fold what they score into profile buckets, the registry stores and
 * compares them with each version's reference profile, and announces crossings under `registry.events.>` (relayed
 * to SSE as `registry.events.drift-detected.v1` / `…drift-cleared.v1`).
 */
export const DriftSubjects = namespaced({
  /** agents → registry (queue group), core NATS: one closed (version, minute) bucket per agent instance */
  profile: event<DriftProfileBucket>()('drift.profiles.v1'),
  /** gateway → registry: a version's report over a time range */
  report: rpc<DriftReportRequest, DriftReportReply>()('registry.drift.report.v1'),
  detected: event<DriftChangedEvent>()('registry.events.drift-detected.v1'),
  cleared: event<DriftChangedEvent>()('registry.events.drift-cleared.v1'),
  /** registry → gateways, every check: the last hour's per-feature values, for the Prometheus gauges */
  status: event<DriftStatusEvent>()('drift.status.v1'),
});

/** Where a consumer puts a message it gives up on (the original bytes; headers say why, see DEAD_LETTER_HEADERS). */
export const DeadLetterSubjects = namespaced({
  /** a window result the registry could not store */
  analysis: 'deadletter.analysis.v1',
  /** a log record an agent could not analyze within its delivery limit */
  logs: 'deadletter.logs.v1',
  all: 'deadletter.>',
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

/**
 * The subjects each JetStream stream keeps, by stream name: the one home of that rule. libs/nest-common creates the
 * streams from it, and docs/asyncapi.yaml names each channel's stream from it.
 */
export const StreamSubjects = {
  [JetStreamNames.logs]: [LogSubjects.all],
  [JetStreamNames.analysis]: [AnalysisSubjects.allResults, AnalysisSubjects.allAnomalies],
  [JetStreamNames.deadLetter]: [DeadLetterSubjects.all],
  [TrainerStreams.jobs]: [JobSubjects.trainWork],
} as const satisfies Record<string, readonly string[]>;

/** The durable ANALYSIS consumer the registry's instances share to store results. */
export const REGISTRY_RESULTS_DURABLE = jetStreamName('registry-results');

/** Queue groups: one instance of a group answers each request, which is how services scale out. */
export const QueueGroups = {
  registry: 'registry',
  inference: 'inference-workers',
  /** workers of the shadow pool (WORKER_POOL=shadow): a second queue group on the predict subject, never replying */
  inferenceShadow: 'inference-shadow',
  agentBase: 'agent-base',
  agentWifi: 'agent-wifi',
  trainer: 'trainer',
} as const;

export const SERVICE_NAMES = [
  'gateway',
  'registry',
  'inference-worker',
  'agent-base',
  'agent-wifi',
  'trainer',
  'ingest',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
