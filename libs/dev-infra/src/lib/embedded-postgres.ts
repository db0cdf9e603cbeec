import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
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
  /** Postgres `shared_buffers` (default {@link EMBEDDED_SHARED_BUFFERS}) */
  sharedBuffers?: string;
}

/**
 * Postgres's buffer cache inside the WASM heap. PGlite keeps Postgres's default of 128MB, and a WASM memory never
 * shrinks: an idle registry grew the process to ~285 MB RSS on a restart. The registry's tables (model metadata,
 * audit, keys; artifacts in chunks that are read once per load) are small; 16MB keeps a restarted process near
 * 150 MB, and a miss costs a read from the data folder's files, which the OS caches anyway.
 */
export const EMBEDDED_SHARED_BUFFERS = '16MB';

/** Settings written to the data folder's postgresql.conf at every start (PGlite replaces the file with them). */
function postgresConf(options: EmbeddedPostgresOptions): string[] {
  return [`shared_buffers = ${options.sharedBuffers ?? EMBEDDED_SHARED_BUFFERS}`];
}

/** Whether a data folder already holds a Postgres cluster (initdb ran there). */
export function embeddedPostgresInitialized(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION'));
}

/**
 * Creates the Postgres cluster in an empty data folder (initdb) and closes it. initdb grows PGlite's WASM memory to
 * ~700 MB, which it never gives back: a long-running server should run this in a process that exits afterwards
 * (tools/stack/embedded-postgres.ts does), then open the folder with {@link startEmbeddedPostgres}.
 */
export async function initEmbeddedPostgres(dataDir: string, options: Pick<EmbeddedPostgresOptions, 'sharedBuffers'> = {}): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  mkdirSync(dataDir, { recursive: true });
  const db = new PGlite(dataDir, { postgresqlconf: postgresConf(options) });
  await db.waitReady;
  await db.close();
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
  const settings = { postgresqlconf: postgresConf(options) };
  const db = options.dataDir ? new PGlite(options.dataDir, settings) : new PGlite(settings);
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
