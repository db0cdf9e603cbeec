import {
  AgentSubjects,
  AnalysisSubjects,
  AuthSubjects,
  DeadLetterSubjects,
  DriftSubjects,
  HealthSubjects,
  JobSubjects,
  TrainerStreams,
  InferenceSubjects,
  JetStreamNames,
  LogSubjects,
  REGISTRY_RESULTS_DURABLE,
  RegistrySubjects,
  LOG_PARTITIONS,
  allAgentDurables,
  inNamespace,
  inboxPrefix,
  jetStreamName,
} from '@loglens/contracts/protocol';

/**
 * THE table of who may publish and subscribe what on NATS: one entry per principal (a service, or a tool's
 * credential). Subjects are the contracts' symbols; `natsUsers()` moves them into the namespace a stack runs in and
 * adds what request/reply and JetStream need. A new app gets an entry here (its requests and events in `publish`, the
 * requests it answers in `handles`, the events it listens to in `subscribe`, its JetStream use in `jetstream`); a new
 * subject goes into the entries of the apps that publish, handle or subscribe it. Who may answer whom follows: a
 * principal may publish to the inboxes of every principal that publishes a subject it handles.
 */
export interface PrincipalPermissions {
  /** subjects it publishes: requests it sends and events it emits */
  publish: string[];
  /** requests it answers (subscribed; it may reply to the inboxes of those allowed to send them) */
  handles: string[];
  /** events it subscribes to (never answered) */
  subscribe: string[];
  jetstream?: JetStreamUse;
}

export interface JetStreamUse {
  /** streams it creates (idempotently) and reads the info of */
  manageStreams?: string[];
  /** durable pull consumers it creates and fetches from, per stream */
  durables?: Array<{ stream: string; durable: string }>;
  /** streams it reads back through its own ephemeral / ordered consumers and direct gets (e.g. LOGS for a time range) */
  readStreams?: string[];
  kv?: string[];
  objectStores?: string[];
}

const registryEvents = [
  RegistrySubjects.versionDeployed,
  RegistrySubjects.versionRegistered,
  RegistrySubjects.versionValidated,
  RegistrySubjects.versionLoadRequested,
  RegistrySubjects.versionUnloadRequested,
  RegistrySubjects.versionArchived,
  RegistrySubjects.aliasChanged,
  RegistrySubjects.experimentChanged,
];

/** Source ↔ model bindings: agents follow them (workers do not need them). */
const bindingEvents = [RegistrySubjects.sourceBound, RegistrySubjects.sourceUnbound];

/** Train job changes, broadcast by the registry and relayed to SSE by the gateway. */
const jobEvents = [JobSubjects.queued, JobSubjects.running, JobSubjects.progress, JobSubjects.succeeded, JobSubjects.failed];

/** What the registry answers. */
const registryHandlers = [
  RegistrySubjects.listModels,
  RegistrySubjects.getVersion,
  RegistrySubjects.currentVersions,
  RegistrySubjects.registerVersion,
  RegistrySubjects.deployVersion,
  RegistrySubjects.getArtifactChunk,
  RegistrySubjects.servingState,
  RegistrySubjects.servingInfo,
  RegistrySubjects.beginUpload,
  RegistrySubjects.uploadChunk,
  RegistrySubjects.commitUpload,
  RegistrySubjects.validateVersion,
  RegistrySubjects.getValidation,
  RegistrySubjects.loadVersion,
  RegistrySubjects.unloadVersion,
  RegistrySubjects.archiveVersion,
  RegistrySubjects.tagVersion,
  RegistrySubjects.rollback,
  RegistrySubjects.fallback,
  RegistrySubjects.history,
  RegistrySubjects.setAlias,
  RegistrySubjects.deleteAlias,
  RegistrySubjects.claimIdempotencyKey,
  RegistrySubjects.settleIdempotencyKey,
  RegistrySubjects.bindSource,
  RegistrySubjects.unbindSource,
  RegistrySubjects.listBindings,
  RegistrySubjects.createJob,
  RegistrySubjects.getJob,
  RegistrySubjects.listJobs,
  RegistrySubjects.updateJob,
  RegistrySubjects.createExperiment,
  RegistrySubjects.getExperiment,
  RegistrySubjects.listExperiments,
  RegistrySubjects.changeExperiment,
  RegistrySubjects.experimentReport,
  AnalysisSubjects.listResults,
  RegistrySubjects.listDeadLetters,
  DriftSubjects.report,
];

/** API keys and the audit log: the registry keeps them, only the gateway (where credentials are checked) calls them. */
const authHandlers = [
  AuthSubjects.listKeys,
  AuthSubjects.keyHashes,
  AuthSubjects.createKey,
  AuthSubjects.revokeKey,
  AuthSubjects.touchKeys,
  AuthSubjects.recordAudit,
  AuthSubjects.listAudit,
];

/** The streams and buckets of the analysis path: every service that calls ensureAnalysisInfrastructure. */
const analysisInfrastructure: JetStreamUse = {
  manageStreams: [JetStreamNames.logs, JetStreamNames.analysis, JetStreamNames.deadLetter],
  kv: [JetStreamNames.agentState],
  objectStores: [JetStreamNames.payloads],
};

/** An agent kind: its durables are one per LOGS partition (and the unpartitioned one) when LOGS is partitioned. */
function agent(kind: 'base' | 'wifi', logPartitions: number): PrincipalPermissions {
  return {
    publish: [InferenceSubjects.predict, RegistrySubjects.getVersion, RegistrySubjects.listBindings, AnalysisSubjects.allResults, AnalysisSubjects.allAnomalies, DeadLetterSubjects.logs, DriftSubjects.profile],
    handles: [kind === 'base' ? AgentSubjects.analyzeBase : AgentSubjects.analyzeWifi, HealthSubjects.ping],
    // the gateway's word that an analyze caller went away
    subscribe: [RegistrySubjects.versionDeployed, ...bindingEvents, AgentSubjects.analyzeCancel],
    jetstream: { ...analysisInfrastructure, durables: allAgentDurables(kind, logPartitions).map((durable) => ({ stream: JetStreamNames.logs, durable })) },
  };
}

/**
 * Per principal, in the namespace of this process (natsUsers moves them to another), for a LOGS stream in
 * `logPartitions` partitions (LOGLENS_LOG_PARTITIONS: the agents' durables depend on it).
 */
export function natsPermissions(logPartitions: number = LOG_PARTITIONS): Record<string, PrincipalPermissions> {
  return {
    gateway: {
      publish: [
        ...registryHandlers.filter(
          (s) =>
            s !== RegistrySubjects.registerVersion &&
            s !== RegistrySubjects.getArtifactChunk &&
            s !== RegistrySubjects.servingState &&
            s !== RegistrySubjects.servingInfo &&
            s !== RegistrySubjects.fallback &&
            s !== RegistrySubjects.updateJob,
        ),
        // the HTTP log inputs (OTLP, bulk) publish to LOGS
        LogSubjects.all,
        InferenceSubjects.predict,
        InferenceSubjects.infer,
        InferenceSubjects.inferBinary,
        InferenceSubjects.predictBinary,
        InferenceSubjects.metrics,
        AgentSubjects.analyzeBase,
        AgentSubjects.analyzeWifi,
        AgentSubjects.analyzeCancel,
        HealthSubjects.ping,
        ...authHandlers,
      ],
      handles: [HealthSubjects.ping],
      subscribe: [RegistrySubjects.allEvents, JobSubjects.allEvents, AnalysisSubjects.allAnomalies, AuthSubjects.keysChanged, DriftSubjects.status],
      // creates the analysis streams when the log inputs start first; reads per-source counts of LOGS
      jetstream: analysisInfrastructure,
    },
    registry: {
      publish: [...registryEvents, ...bindingEvents, ...jobEvents, AuthSubjects.keysChanged, InferenceSubjects.validateArtifact, JobSubjects.trainWork, DeadLetterSubjects.analysis, DriftSubjects.detected, DriftSubjects.cleared, DriftSubjects.status],
      handles: [...registryHandlers, ...authHandlers, HealthSubjects.ping],
      subscribe: [RegistrySubjects.experimentStats, DriftSubjects.profile],
      jetstream: {
        ...analysisInfrastructure,
        manageStreams: [...(analysisInfrastructure.manageStreams ?? []), TrainerStreams.jobs],
        durables: [{ stream: JetStreamNames.analysis, durable: REGISTRY_RESULTS_DURABLE }],
      },
    },
    'inference-worker': {
      publish: [RegistrySubjects.getArtifactChunk, RegistrySubjects.servingState, RegistrySubjects.servingInfo, RegistrySubjects.fallback, RegistrySubjects.experimentStats, RegistrySubjects.getVersion, DriftSubjects.profile, InferenceSubjects.shadowPool],
      handles: [InferenceSubjects.predict, InferenceSubjects.shadowPool, InferenceSubjects.infer, InferenceSubjects.inferBinary, InferenceSubjects.predictBinary, InferenceSubjects.validateArtifact, InferenceSubjects.metrics, HealthSubjects.ping],
      subscribe: registryEvents.filter((s) => s !== RegistrySubjects.versionValidated),
    },
    'agent-base': agent('base', logPartitions),
    'agent-wifi': agent('wifi', logPartitions),
    trainer: {
      publish: [
        RegistrySubjects.beginUpload,
        RegistrySubjects.uploadChunk,
        RegistrySubjects.commitUpload,
        RegistrySubjects.deployVersion,
        RegistrySubjects.bindSource,
        RegistrySubjects.updateJob,
      ],
      handles: [HealthSubjects.ping],
      subscribe: [],
      jetstream: {
        manageStreams: [TrainerStreams.jobs],
        durables: [{ stream: TrainerStreams.jobs, durable: TrainerStreams.durable }],
        // a job reads its sources' records back from LOGS; an uploaded file arrives through the payloads bucket
        readStreams: [JetStreamNames.logs],
        objectStores: [JetStreamNames.payloads],
      },
    },
    /** the syslog input: publishes logs (creating the analysis streams if it starts first) and answers health pings */
    ingest: { publish: [LogSubjects.all], handles: [HealthSubjects.ping], subscribe: [], jetstream: analysisInfrastructure },
    /** log shippers (`npm run replay`, the ingest app, external ones): publish logs, read their JetStream acks, nothing else */
    'log-producer': { publish: [LogSubjects.all], handles: [], subscribe: [] },
  };
}

/** The table for this process's LOGLENS_LOG_PARTITIONS. */
export const NATS_PERMISSIONS: Record<string, PrincipalPermissions> = natsPermissions();

/**
 * The operator's credential (`npm start`'s seeding, benches, the integration specs' own client): everything in its
 * namespace and JetStream. Never given to a service.
 */
export const OPS_PRINCIPAL = 'ops';

export interface NatsUser {
  principal: string;
  namespace: string;
  publish: string[];
  subscribe: string[];
}

/** A principal's permissions in namespace `ns`, with its inboxes and the JetStream API subjects its use needs. */
export function natsUser(principal: string, ns: string, table: Record<string, PrincipalPermissions> = NATS_PERMISSIONS): NatsUser {
  const inbox = `${inboxPrefix(principal, ns)}.>`;
  const everyInbox = ['_INBOX.>', ...natsPrincipals().map((p) => `${inboxPrefix(p, ns)}.>`)];
  if (principal === OPS_PRINCIPAL) {
    // the operator may also stand in for a service in a test, answering anyone
    const all = [`${ns}.>`, '$JS.API.>', '$JS.ACK.>', '$JS.FC.>', '$KV.>', '$O.>'];
    return { principal, namespace: ns, publish: [...all, ...everyInbox], subscribe: [...all, ...everyInbox] };
  }
  const p = table[principal];
  if (!p) throw new Error(`no NATS permissions for "${principal}": add it to NATS_PERMISSIONS`);
  const move = (subject: string) => inNamespace(subject, ns);
  const moveName = (name: string) => jetStreamName(withoutJetStreamNamespace(name), ns);
  // replies go to the inboxes of the principals that may send what it handles (and the operator's). Not the
  // server's allow_responses: it tracks every delivered message that has a reply subject, and an agent holding
  // tens of thousands of unacknowledged JetStream messages then slowed to a crawl (measured: 17 s → 41 s).
  const callers = Object.entries(table)
    .filter(([, other]) => other.publish.some((sent) => p.handles.some((handled) => subjectMatches(handled, sent))))
    .map(([name]) => name);
  const replies = p.handles.length > 0 ? [...callers, OPS_PRINCIPAL].map((c) => `${inboxPrefix(c, ns)}.>`) : [];
  const publish = [...p.publish.map(move), ...replies];
  const subscribe = [...p.handles.map(move), ...p.subscribe.map(move), inbox];
  const js = p.jetstream;
  if (js) {
    // account info, and stream names by subject (an ordered consumer looks up the stream of a subject)
    publish.push('$JS.API.INFO', '$JS.API.STREAM.NAMES');
    for (const stream of (js.manageStreams ?? []).map(moveName)) publish.push(...streamApi(stream, true));
    for (const { stream, durable } of js.durables ?? []) {
      const s = moveName(stream);
      const d = moveName(durable);
      publish.push(
        `$JS.API.STREAM.INFO.${s}`,
        `$JS.API.CONSUMER.INFO.${s}.${d}`,
        `$JS.API.CONSUMER.CREATE.${s}.${d}`,
        `$JS.API.CONSUMER.CREATE.${s}.${d}.>`,
        `$JS.API.CONSUMER.DURABLE.CREATE.${s}.${d}`,
        `$JS.API.CONSUMER.MSG.NEXT.${s}.${d}`,
        // acks, naks, in-progress and terms of this durable's messages only
        `$JS.ACK.${s}.${d}.>`,
      );
    }
    for (const stream of (js.readStreams ?? []).map(moveName)) publish.push(...readApi(stream));
    // keys are published to the bucket's subjects and read back by direct gets or through ordered (ephemeral)
    // consumers (KV keys/watch, object chunks); deleting an object purges its chunks
    for (const bucket of (js.kv ?? []).map(moveName)) publish.push(...bucketApi(`KV_${bucket}`), `$KV.${bucket}.>`);
    for (const bucket of (js.objectStores ?? []).map(moveName)) publish.push(...bucketApi(`OBJ_${bucket}`), `$O.${bucket}.>`);
  }
  return { principal, namespace: ns, publish: unique(publish), subscribe: unique(subscribe) };
}

function streamApi(stream: string, manage: boolean): string[] {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    // update: a stream an older version created gets the current limits at start
    ...(manage ? [`$JS.API.STREAM.CREATE.${stream}`, `$JS.API.STREAM.UPDATE.${stream}`] : []),
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
  ];
}

function bucketApi(stream: string): string[] {
  return [...streamApi(stream, true), `$JS.API.STREAM.PURGE.${stream}`, ...readApi(stream)];
}

/** Ephemeral and ordered consumers of one stream (push with flow control, or pull), acks included. */
function readApi(stream: string): string[] {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    `$JS.ACK.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
}

/** `loglens-LOGS` → `LOGS` (the table holds this process's names; another namespace gets its own). */
function withoutJetStreamNamespace(name: string): string {
  const prefix = jetStreamName('');
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** Whether subscription `pattern` (with `*` / `>`) receives `subject`; a wildcard subject matches when they overlap. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const t = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>' || t[i] === '>') return t.length > i;
    if (i >= t.length) return false;
    if (p[i] !== '*' && t[i] !== '*' && p[i] !== t[i]) return false;
  }
  return p.length === t.length;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Every principal a stack has: the services, the log producer and the operator. */
export function natsPrincipals(): string[] {
  return [...Object.keys(NATS_PERMISSIONS), OPS_PRINCIPAL];
}
