import type { DynamicModule } from '@nestjs/common';
import { AgentRuntimeModule, BasePipeline, SOURCE_TEMPLATES_SCHEMA, WifiPipeline, windowMsOf, type AgentEnv } from '@loglens/agent-runtime';

/**
 * The wifi agent: the shared runtime with the wifi pipeline, scoring with "${env.AGENT_MODEL ?? 'wifi-anomaly'}". A site
 * bound to a model learned from its own logs (feature schema `source-templates.v1`) is windowed by that model's
 * pipeline instead: its own templates, its own window length.
 */
export function appModule(env: AgentEnv): DynamicModule {
  return AgentRuntimeModule.forRoot('agent-wifi', env.NATS_URL, env.INSTANCE_ID, {
    kind: 'wifi',
    model: env.AGENT_MODEL ?? 'wifi-anomaly',
    pipeline: (schema, _source, state, version) =>
      schema?.version === SOURCE_TEMPLATES_SCHEMA
        ? new BasePipeline(schema, state, { windowMs: windowMsOf(version) })
        : new WifiPipeline(state, { featureNames: schema?.features.map((f) => f.name) }),
    instance: { index: env.AGENT_INSTANCE_INDEX, count: env.AGENT_INSTANCES },
    consumeStream: env.AGENT_CONSUME === 'true',
    maxInFlight: env.AGENT_MAX_IN_FLIGHT,
    idleFlushMs: env.AGENT_IDLE_FLUSH_MS,
    maxSources: env.AGENT_MAX_SOURCES,
    ackWaitMs: env.AGENT_ACK_WAIT_MS,
    explain: env.AGENT_EXPLAIN,
    driftBucketMs: env.AGENT_DRIFT_BUCKET_MS,
  });
}
