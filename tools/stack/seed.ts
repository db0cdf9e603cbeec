// One-shot seeding for deployments that do not use `npm start` (docker-compose): connects to NATS_URL, waits for
// the registry, and registers + deploys the demo model unless it is already there.
import { connect } from 'nats';
import { RpcClient, natsConnectOptions } from '@loglens/nest-common';
import { buildDefaultModels } from '@loglens/testing/models';
import { seedDefaultModels } from './seed-default-models';

async function main(): Promise<void> {
  // NATS_NKEY_FILE: the operator's credential (it registers and deploys)
  const nc = await connect({ ...natsConnectOptions('ops'), servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', name: 'loglens-seed', maxReconnectAttempts: 30 });
  try {
    await seedDefaultModels(new RpcClient(nc), (line) => console.log(`[seed] ${line}`), async () => buildDefaultModels());
    console.log('[seed] done');
  } finally {
    await nc.close();
  }
}

main().catch((e: unknown) => {
  console.error(`[seed] failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
