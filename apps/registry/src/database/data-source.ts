import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AnalysisResultEntity } from '../analysis/analysis-result.entity';
import { ArtifactEntity } from '../artifacts/artifact.entity';
import { AliasEntity } from '../models/alias.entity';
import { HistoryEntity } from '../models/history.entity';
import { UploadEntity } from '../uploads/upload.entity';
import { ValidationReportEntity } from '../validation/validation-report.entity';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelEntity } from '../models/model.entity';
import { InitialSchema1764144000000 } from './migrations/1764144000000-InitialSchema';
import { Lifecycle1764150000000 } from './migrations/1764150000000-Lifecycle';
import { AnalysisResults1764160000000 } from './migrations/1764160000000-AnalysisResults';
import { SourceModels1764200000000 } from './migrations/1764200000000-SourceModels';
import { JobEntity } from '../jobs/job.entity';
import { SourceBindingEntity } from '../sources/source-binding.entity';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { AuditEntryEntity } from '../auth/audit-entry.entity';
import { ApiKeysAndAudit1764300000000 } from './migrations/1764300000000-ApiKeysAndAudit';
import { IdempotencyKeyEntity } from '../idempotency/idempotency-key.entity';
import { IdempotencyKeys1796407080918 } from './migrations/1796407080918-IdempotencyKeys';
import { ExperimentEntity } from '../experiments/experiment.entity';
import { Experiments1796500000000 } from './migrations/1796500000000-Experiments';
import { DriftBucketEntity, DriftStateEntity } from '../drift/drift-bucket.entity';
import { DriftProfiles1796600000000 } from './migrations/1796600000000-DriftProfiles';
import { ReferenceWindows1796700000000 } from './migrations/1796700000000-ReferenceWindows';

export const REGISTRY_ENTITIES = [ModelEntity, ModelVersionEntity, ArtifactEntity, HistoryEntity, AliasEntity, ValidationReportEntity, UploadEntity, AnalysisResultEntity, SourceBindingEntity, JobEntity, ApiKeyEntity, AuditEntryEntity, IdempotencyKeyEntity, ExperimentEntity, DriftBucketEntity, DriftStateEntity];
export const REGISTRY_MIGRATIONS = [InitialSchema1764144000000, Lifecycle1764150000000, AnalysisResults1764160000000, SourceModels1764200000000, ApiKeysAndAudit1764300000000, IdempotencyKeys1796407080918, Experiments1796500000000, DriftProfiles1796600000000, ReferenceWindows1796700000000];

export function registryDataSourceOptions(url: string, schema: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema,
    entities: REGISTRY_ENTITIES,
    migrations: REGISTRY_MIGRATIONS,
    migrationsTableName: 'registry_migrations',
    // schema changes only through committed, reviewed migrations
    synchronize: false,
    migrationsRun: false,
    // PGlite serves one backend; a small pool keeps its socket server inside its connection limit
    extra: { max: 8 },
  };
}

/** duplicate_table, duplicate_object, unique_violation (a catalog row another session inserted first) */
const DUPLICATE_OBJECT = new Set(['42P07', '42710', '23505']);

/** First key of the registry's advisory lock ("LLRG"); the second is the schema's hash, so schemas do not wait on each other. */
export const MIGRATION_LOCK_CLASS = 0x4c4c5247;

/**
 * Creates the schema if needed, connects, and applies pending migrations — under a Postgres advisory lock (per
 * schema), so registries starting at once on a fresh database take turns: the first migrates, the others find
 * nothing left to do. The lock is held by a session of its own, released when done or when the process dies.
 */
export async function openRegistryDataSource(url: string, schema: string): Promise<DataSource> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const ds = new DataSource(registryDataSourceOptions(url, schema));
    await ds.initialize();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await ds.runMigrations({ transaction: 'each' });
          break;
        } catch (e) {
          // the embedded Postgres (PGlite) is one backend, one session for every client: an advisory lock there
          // excludes nobody, so a registry starting beside another may find a table it was about to create. Each
          // migration is a transaction: look again at what is applied (twice at most)
          if (attempt >= 3 || !DUPLICATE_OBJECT.has(String((e as { driverError?: { code?: unknown } }).driverError?.code))) throw e;
          console.warn(`[registry] another registry migrated schema "${schema}" at the same time (${(e as Error).message}); looking again`);
          await new Promise((r) => setTimeout(r, 250 * attempt));
        }
      }
    } catch (e) {
      await ds.destroy().catch(() => undefined);
      throw e;
    }
    return ds;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}
