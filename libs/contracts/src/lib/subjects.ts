/**
 * Every NATS subject LogLens uses, one symbol each. Producers and consumers import these; a subject string is
 * never written twice. A breaking change to a message adds `.v2` beside `.v1`.
 */
export const RegistrySubjects = {
  listModels: 'registry.model.list.v1',
  getVersion: 'registry.version.get.v1',
  currentVersions: 'registry.version.current.v1',
  registerVersion: 'registry.version.register.v1',
  deployVersion: 'registry.version.deploy.v1',
  getArtifactChunk: 'registry.artifact.chunk.v1',
  servingState: 'registry.serving-state.get.v1',
  /** broadcast (no queue group): every worker must see it */
  versionDeployed: 'registry.events.version-deployed.v1',
} as const;

export const InferenceSubjects = {
  predict: 'inference.predict.v1',
} as const;

export const HealthSubjects = {
  /** scatter-gather: every instance of every service answers, so the gateway can count them */
  ping: 'health.ping.v1',
} as const;

/** Queue groups: one instance of a group answers each request, which is how services scale out. */
export const QueueGroups = {
  registry: 'registry',
  inference: 'inference-workers',
  agentBase: 'agent-base',
  agentWifi: 'agent-wifi',
} as const;

export const SERVICE_NAMES = ['gateway', 'registry', 'inference-worker', 'agent-base', 'agent-wifi'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
