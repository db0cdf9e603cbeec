import 'reflect-metadata';
import { QueueGroups } from '@loglens/contracts';
import { BaseServiceEnv, startMicroservice, validateEnv } from '@loglens/nest-common';
import { AppModule } from './app/app.module';

async function main(): Promise<void> {
  const env = validateEnv(BaseServiceEnv, process.env);
  await startMicroservice('agent-wifi', AppModule.forRoot(env), { natsUrl: env.NATS_URL, queue: QueueGroups.agentWifi });
}

main().catch((e: unknown) => {
  console.error(`[agent-wifi] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
