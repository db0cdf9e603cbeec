import 'reflect-metadata';
import { setPriority } from 'node:os';
import { QueueGroups } from '@loglens/contracts';
import { startMicroservice, validateEnv } from '@loglens/nest-common';
import { AppModule } from './app/app.module';
import { WorkerEnv } from './app/worker.env';
import { startTracing } from '@loglens/tracing';

async function main(): Promise<void> {
  // spans to OTEL_EXPORTER_OTLP_ENDPOINT when it is set (docs/monitoring.md, "Tracing"); off otherwise
  startTracing({ service: 'inference-worker' });
  const env = validateEnv(WorkerEnv, process.env);
  // the shadow pool scores copies with what the serving workers leave of the CPU
  const nice = env.WORKER_NICE ?? (env.WORKER_POOL === 'shadow' ? 19 : undefined);
  if (nice !== undefined) setPriority(nice);
  await startMicroservice('inference-worker', AppModule.forRoot(env), { natsUrl: env.NATS_URL, queue: QueueGroups.inference });
}

main().catch((e: unknown) => {
  console.error(`[inference-worker] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
