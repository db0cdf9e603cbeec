import type { DynamicModule } from '@nestjs/common';
import { AgentRuntimeModule, BasePipeline, windowMsOf, type AgentEnv } from '@loglens/agent-runtime';

/**
 * The base agent: the shared runtime with the base pipeline, scoring with "${env.AGENT_MODEL ?? 'log-anomaly'}", or
 * with a source's bound model (its own window length when the model says so).
 */
export function appModule(env: AgentEnv): DynamicModule {
  return AgentRuntimeModule.forRoot('agent-base', env.NATS_URL, env.INSTANCE_ID, {
    kind: 'base',
    model: env.AGENT_MODEL ?? 'log-anomaly',
    pipeline: (schema, _source, state, version) => new BasePipeline(schema, state, { windowMs: windowMsOf(version) }),
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
