/**
 * `@loglens/dev-infra/embedded-postgres`: the embedded Postgres alone. For the process that serves it
 * (tools/stack/embedded-postgres.ts), which stays up as long as the stack: the package index would also load the
 * NATS helpers, nkeys and the subject table into it.
 */
export { EMBEDDED_SHARED_BUFFERS, embeddedPostgresInitialized, initEmbeddedPostgres, startEmbeddedPostgres } from './lib/embedded-postgres';
export type { EmbeddedPostgresOptions, PostgresHandle } from './lib/embedded-postgres';
