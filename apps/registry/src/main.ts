import 'reflect-metadata';
import { QueueGroups } from '@loglens/contracts';
import { startMicroservice, validateEnv } from '@loglens/nest-common';
import { AppModule } from './app/app.module';
import { RegistryEnv } from './app/registry.env';
import { Client as PostgresClient } from 'pg';
import { startTracing, traceQueries } from '@loglens/tracing';

async function main(): Promise<void> {
  // spans to OTEL_EXPORTER_OTLP_ENDPOINT when it is set (docs/monitoring.md, "Tracing"); off otherwise
  startTracing({ service: 'registry' });
  traceQueries(PostgresClient);
  const env = validateEnv(RegistryEnv, process.env);
  await startMicroservice('registry', AppModule.forRoot(env), { natsUrl: env.NATS_URL, queue: QueueGroups.registry });
}

main().catch((e: unknown) => {
  console.error(`[registry] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
