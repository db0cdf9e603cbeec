import 'reflect-metadata';
import { QueueGroups } from '@loglens/contracts';
import { AgentEnv } from '@loglens/agent-runtime';
import { startMicroservice, validateEnv } from '@loglens/nest-common';
import { appModule } from './app/app.module';

async function main(): Promise<void> {
  const env = validateEnv(AgentEnv, process.env);
  await startMicroservice('agent-wifi', appModule(env), { natsUrl: env.NATS_URL, queue: QueueGroups.agentWifi });
}

main().catch((e: unknown) => {
  console.error(`[agent-wifi] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
