import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NatsHandle, PostgresHandle } from '@loglens/dev-infra';
import { registerWorkspaceAliases } from './workspace-aliases';

declare global {
  var __loglensInfra: { nats?: NatsHandle; postgres?: PostgresHandle } | undefined;
}

/** Provides NATS and Postgres to the integration specs: the given ones, or our own. */
export default async function integrationSetup(): Promise<void> {
  registerWorkspaceAliases();
  const { NAMESPACE } = await import('@loglens/contracts');
  const { startEmbeddedPostgres, startNatsServer } = await import('@loglens/dev-infra');
  const infra: { nats?: NatsHandle; postgres?: PostgresHandle } = {};
  if (process.env['NATS_URL']) {
    console.log(`\n[integration] NATS: using NATS_URL=${process.env['NATS_URL']}`);
  } else {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'loglens-it-nats-'));
    // with credentials and permissions, as `npm start` runs it: every spec's services connect with their own
    // LOGLENS_NATS_LOG=<file> keeps the server's log (permission violations are logged there)
    const logFile = process.env['LOGLENS_NATS_LOG'];
    infra.nats = await startNatsServer({ dataDir, secure: { namespaces: [NAMESPACE] }, ...(logFile ? { onLine: (l) => appendFileSync(logFile, `${l}\n`) } : {}) });
    process.env['NATS_URL'] = infra.nats.url;
    // specs that reconfigure shared streams (e.g. fill LOGS to test back-pressure) only do so on a server of their own
    process.env['LOGLENS_IT_OWN_NATS'] = '1';
    process.env['LOGLENS_NATS_CREDENTIALS'] = infra.nats.security?.credentialsDir(NAMESPACE);
    console.log(`\n[integration] NATS: started nats-server at ${infra.nats.url} (credentials in ${process.env['LOGLENS_NATS_CREDENTIALS']})`);
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
