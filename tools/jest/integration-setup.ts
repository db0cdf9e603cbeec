import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, startNatsServer, type NatsHandle, type PostgresHandle } from '../../libs/dev-infra/src';

declare global {
  // eslint-disable-next-line no-var
  var __loglensInfra: { nats?: NatsHandle; postgres?: PostgresHandle } | undefined;
}

/** Provides NATS and Postgres to the integration specs: the given ones, or our own. */
export default async function integrationSetup(): Promise<void> {
  const infra: { nats?: NatsHandle; postgres?: PostgresHandle } = {};
  if (process.env['NATS_URL']) {
    console.log(`\n[integration] NATS: using NATS_URL=${process.env['NATS_URL']}`);
  } else {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'loglens-it-nats-'));
    infra.nats = await startNatsServer({ dataDir });
    process.env['NATS_URL'] = infra.nats.url;
    // specs that reconfigure shared streams (e.g. fill LOGS to test back-pressure) only do so on a server of their own
    process.env['LOGLENS_IT_OWN_NATS'] = '1';
    console.log(`\n[integration] NATS: started nats-server at ${infra.nats.url}`);
  }
  if (process.env['DATABASE_URL']) {
    console.log(`[integration] Postgres: using DATABASE_URL=${process.env['DATABASE_URL']}`);
  } else {
    infra.postgres = await startEmbeddedPostgres();
    process.env['DATABASE_URL'] = infra.postgres.url;
    console.log(`[integration] Postgres: started embedded PGlite at ${infra.postgres.url}`);
  }
  globalThis.__loglensInfra = infra;
}
