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

export const REGISTRY_ENTITIES = [ModelEntity, ModelVersionEntity, ArtifactEntity, HistoryEntity, AliasEntity, ValidationReportEntity, UploadEntity, AnalysisResultEntity, SourceBindingEntity, JobEntity, ApiKeyEntity, AuditEntryEntity, IdempotencyKeyEntity];
export const REGISTRY_MIGRATIONS = [InitialSchema1764144000000, Lifecycle1764150000000, AnalysisResults1764160000000, SourceModels1764200000000, ApiKeysAndAudit1764300000000, IdempotencyKeys1796407080918];

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

/** Creates the schema if needed, connects, and applies pending migrations. */
export async function openRegistryDataSource(url: string, schema: string): Promise<DataSource> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
  const ds = new DataSource(registryDataSourceOptions(url, schema));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
