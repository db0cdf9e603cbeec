import 'reflect-metadata';
import { QueueGroups } from '@loglens/contracts';
import { startMicroservice, validateEnv } from '@loglens/nest-common';
import { AppModule } from './app/app.module';
import { WorkerEnv } from './app/worker.env';

async function main(): Promise<void> {
  const env = validateEnv(WorkerEnv, process.env);
  await startMicroservice('inference-worker', AppModule.forRoot(env), { natsUrl: env.NATS_URL, queue: QueueGroups.inference });
}

main().catch((e: unknown) => {
  console.error(`[inference-worker] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
