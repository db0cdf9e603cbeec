import 'reflect-metadata';
import { QueueGroups } from '@loglens/contracts';
import { AgentEnv } from '@loglens/agent-runtime';
import { startMicroservice, validateEnv } from '@loglens/nest-common';
import { appModule } from './app/app.module';
import { startTracing } from '@loglens/tracing';

async function main(): Promise<void> {
  // spans to OTEL_EXPORTER_OTLP_ENDPOINT when it is set (docs/monitoring.md, "Tracing"); off otherwise
  startTracing({ service: 'agent-base' });
  const env = validateEnv(AgentEnv, process.env);
  await startMicroservice('agent-base', appModule(env), { natsUrl: env.NATS_URL, queue: QueueGroups.agentBase });
}

main().catch((e: unknown) => {
  console.error(`[agent-base] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
