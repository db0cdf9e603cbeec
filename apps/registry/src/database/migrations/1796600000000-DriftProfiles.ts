import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * Live drift profiles: one row per (version, time bucket, producing agent instance) with the bucket's sketches as
 * JSON (libs/drift Profile), kept 8 days (the drift check deletes older ones); and the last drift state of each
 * version, so a crossing is announced once however many registries check.
 */
export class DriftProfiles1796600000000 implements MigrationInterface {
  name = 'DriftProfiles1796600000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`
      CREATE TABLE ${s}.drift_buckets (
        version_id    uuid NOT NULL REFERENCES ${s}.model_versions(id) ON DELETE CASCADE,
        bucket_start  timestamptz NOT NULL,
        bucket_ms     int NOT NULL CHECK (bucket_ms > 0),
        producer      varchar(200) NOT NULL,
        windows       int NOT NULL,
        profile       jsonb NOT NULL,
        sources       jsonb NOT NULL DEFAULT '{}',
        received_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (version_id, bucket_start, producer)
      )`);
    await q.query(`CREATE INDEX drift_buckets_start_idx ON ${s}.drift_buckets (bucket_start)`);
    await q.query(`
      CREATE TABLE ${s}.drift_states (
        version_id  uuid PRIMARY KEY REFERENCES ${s}.model_versions(id) ON DELETE CASCADE,
        drifted     boolean NOT NULL,
        signals     jsonb NOT NULL,
        checked_at  timestamptz NOT NULL,
        changed_at  timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`DROP TABLE ${s}.drift_states`);
    await q.query(`DROP TABLE ${s}.drift_buckets`);
  }
}
