import { jetStreamName, namespaced } from './namespace';

/**
 * Every NATS subject LogLens uses, one symbol each. Producers and consumers import these; a subject string is
 * never written twice. A breaking change to a message adds `.v2` beside `.v1`. Each map is written bare and wrapped
 * in `namespaced()`, which prefixes every subject with LOGLENS_NAMESPACE (`loglens.registry.model.list.v1`).
 */
export const RegistrySubjects = namespaced({
  listModels: 'registry.model.list.v1',
  getVersion: 'registry.version.get.v1',
  currentVersions: 'registry.version.current.v1',
  registerVersion: 'registry.version.register.v1',
  deployVersion: 'registry.version.deploy.v1',
  getArtifactChunk: 'registry.artifact.chunk.v1',
  servingState: 'registry.serving-state.get.v1',
  /** what a worker needs to serve one version (any version, serving or pinned) */
  servingInfo: 'registry.serving-info.get.v1',
  beginUpload: 'registry.upload.begin.v1',
  uploadChunk: 'registry.upload.chunk.v1',
  commitUpload: 'registry.upload.commit.v1',
  validateVersion: 'registry.version.validate.v1',
  getValidation: 'registry.version.validation.v1',
  loadVersion: 'registry.version.load.v1',
  unloadVersion: 'registry.version.unload.v1',
  archiveVersion: 'registry.version.archive.v1',
  tagVersion: 'registry.version.tag.v1',
  rollback: 'registry.model.rollback.v1',
  fallback: 'registry.model.fallback.v1',
  history: 'registry.history.list.v1',
  setAlias: 'registry.alias.set.v1',
  deleteAlias: 'registry.alias.delete.v1',
  /** Idempotency-Key of a REST change: claimed before it runs (one claim wins across gateways), settled after */
  claimIdempotencyKey: 'registry.idempotency.claim.v1',
  settleIdempotencyKey: 'registry.idempotency.settle.v1',
  /** broadcast (no queue group): every worker must see it */
  versionDeployed: 'registry.events.version-deployed.v1',
  versionRegistered: 'registry.events.version-registered.v1',
  versionValidated: 'registry.events.version-validated.v1',
  versionLoadRequested: 'registry.events.version-load-requested.v1',
  versionUnloadRequested: 'registry.events.version-unload-requested.v1',
  versionArchived: 'registry.events.version-archived.v1',
  aliasChanged: 'registry.events.alias-changed.v1',
  /** source → model bindings (per-source models) */
  bindSource: 'registry.source.bind.v1',
  unbindSource: 'registry.source.unbind.v1',
  listBindings: 'registry.source.list.v1',
  /** broadcast: every agent instance follows bindings */
  sourceBound: 'registry.events.source-bound.v1',
  sourceUnbound: 'registry.events.source-unbound.v1',
  /** train jobs: created by the gateway, run by the trainer, kept in the registry */
  createJob: 'registry.job.create.v1',
  getJob: 'registry.job.get.v1',
  listJobs: 'registry.job.list.v1',
  updateJob: 'registry.job.update.v1',
  /** wildcard the gateway relays to SSE clients */
  allEvents: 'registry.events.>',
});

/**
 * API keys and the audit log: kept by the registry, called only by the gateway. Not under `registry.events.>`, which
 * the gateway relays to every SSE client: key changes are for gateways only.
 */
export const AuthSubjects = namespaced({
  listKeys: 'registry.auth.key.list.v1',
  /** the active keys' hashes, for the gateways' caches */
  keyHashes: 'registry.auth.key.hashes.v1',
  createKey: 'registry.auth.key.create.v1',
  revokeKey: 'registry.auth.key.revoke.v1',
  touchKeys: 'registry.auth.key.touch.v1',
  recordAudit: 'registry.auth.audit.record.v1',
  listAudit: 'registry.auth.audit.list.v1',
  /** broadcast: every gateway reloads its key cache */
  keysChanged: 'auth.events.keys-changed.v1',
});

export const InferenceSubjects = namespaced({
  predict: 'inference.predict.v1',
  /** typed tensors in, typed tensors out (the Open Inference Protocol's shape) */
  infer: 'inference.infer.v1',
  /** one worker loads an artifact, runs a test inference and releases it: the validation's last check */
  validateArtifact: 'inference.validate-artifact.v1',
  /** scatter-gather (no queue group): every worker answers with its metrics */
  metrics: 'inference.metrics.v1',
});

/**
 * Train jobs. Work items travel on a JetStream work-queue stream (each taken by one trainer, redelivered when a
 * trainer dies); every job change is broadcast on `jobs.events.<state>.v1` (the gateway relays it as SSE `jobs.<state>`).
 */
export const JobSubjects = namespaced({
  /** JetStream subject of the JOBS work queue */
  trainWork: 'jobs.work.train.v1',
  queued: 'jobs.events.queued.v1',
  running: 'jobs.events.running.v1',
  progress: 'jobs.events.progress.v1',
  succeeded: 'jobs.events.succeeded.v1',
  failed: 'jobs.events.failed.v1',
  allEvents: 'jobs.events.>',
});

/** The trainers' work queue: a work-queue stream and the durable every trainer instance shares. */
export const TrainerStreams = {
  jobs: jetStreamName('JOBS'),
  durable: jetStreamName('trainer'),
} as const;

export const HealthSubjects = namespaced({
  /** scatter-gather: every instance of every service answers, so the gateway can count them */
  ping: 'health.ping.v1',
});

/** Queue groups: one instance of a group answers each request, which is how services scale out. */
export const QueueGroups = {
  registry: 'registry',
  inference: 'inference-workers',
  agentBase: 'agent-base',
  agentWifi: 'agent-wifi',
  trainer: 'trainer',
} as const;

export const SERVICE_NAMES = ['gateway', 'registry', 'inference-worker', 'agent-base', 'agent-wifi', 'trainer', 'ingest'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
