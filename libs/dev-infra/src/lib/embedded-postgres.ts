import { mkdirSync } from 'node:fs';
import { PGliteWireServer } from './pglite-wire-server';
import { freePort } from './ports';

export interface PostgresHandle {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** persisted data folder; in memory when omitted */
  dataDir?: string;
  /** tried first; a free port is used when it is taken (e.g. by a system Postgres on 5432) */
  preferredPort?: number;
  /** must cover every service's connection pool: PGlite's socket server refuses connections beyond it */
  maxConnections?: number;
}

/**
 * An embedded Postgres: PGlite (Postgres compiled to WASM) served over the Postgres wire protocol, so the same
 * `pg` / TypeORM postgres driver talks to it and to a real server. One backend: transactions are serialised,
 * which suits a laptop and tests, not production (set DATABASE_URL there).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<PostgresHandle> {
  // loaded lazily: a deployment with DATABASE_URL never pays for the WASM module
  const { PGlite } = await import('@electric-sql/pglite');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await db.waitReady;
  const port = await freePort(options.preferredPort ?? 0);
  // our own wire server, not @electric-sql/pglite-socket's: that one interleaved connections inside a protocol unit
  const server = new PGliteWireServer(db, options.maxConnections ?? 64);
  await server.listen('127.0.0.1', port);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.close();
      await db.close();
    },
  };
}
