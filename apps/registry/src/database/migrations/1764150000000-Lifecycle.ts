import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * Lifecycle: aliases, validation reports, chunked uploads, tags / archive / scaler on versions, and a history that
 * also records alias moves. `deployments` becomes `history` with a per-model sequence number: UNIQUE (model, seq)
 * makes a fork impossible, and the model row lock makes gaps impossible.
 */
export class Lifecycle1764150000000 implements MigrationInterface {
  name = 'Lifecycle1764150000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`ALTER TABLE ${s}.model_versions
      ADD COLUMN tags jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN archived_at timestamptz NULL,
      ADD COLUMN scaler_sha256 char(64) NULL REFERENCES ${s}.artifacts(sha256) ON DELETE RESTRICT`);
    await q.query(`ALTER TABLE ${s}.models ADD COLUMN history_seq int NOT NULL DEFAULT 0`);

    await q.query(`ALTER TABLE ${s}.deployments RENAME TO history`);
    await q.query(`ALTER TABLE ${s}.history
      ADD COLUMN seq int NULL,
      ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'serving',
      ADD COLUMN alias varchar(32) NULL,
      ALTER COLUMN to_version_id DROP NOT NULL,
      DROP CONSTRAINT IF EXISTS deployments_action_check`);
    // number the rows written before this migration, per model in time order
    await q.query(`UPDATE ${s}.history h SET seq = n.rn FROM (
        SELECT id, row_number() OVER (PARTITION BY model_id ORDER BY at, id) AS rn FROM ${s}.history) n
      WHERE h.id = n.id`);
    await q.query(`UPDATE ${s}.models m SET history_seq = COALESCE((SELECT max(seq) FROM ${s}.history h WHERE h.model_id = m.id), 0)`);
    await q.query(`ALTER TABLE ${s}.history
      ALTER COLUMN seq SET NOT NULL,
      ADD CONSTRAINT history_model_seq_uq UNIQUE (model_id, seq),
      ADD CONSTRAINT history_action_ck CHECK (action IN ('deploy','rollback','fallback','promote','alias-set','alias-delete')),
      ADD CONSTRAINT history_kind_ck CHECK (kind IN ('serving','alias'))`);

    await q.query(`
      CREATE TABLE ${s}.model_aliases (
        model_id    uuid NOT NULL REFERENCES ${s}.models(id) ON DELETE RESTRICT,
        alias       varchar(32) NOT NULL,
        version_id  uuid NOT NULL REFERENCES ${s}.model_versions(id) ON DELETE RESTRICT,
        updated_by  varchar(128) NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_id, alias)
      )`);
    await q.query(`
      CREATE TABLE ${s}.validation_reports (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        version_id   uuid NOT NULL REFERENCES ${s}.model_versions(id) ON DELETE RESTRICT,
        outcome      varchar(8) NOT NULL CHECK (outcome IN ('pass','warn','fail')),
        report       jsonb NOT NULL,
        created_by   varchar(128) NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX validation_reports_version_idx ON ${s}.validation_reports (version_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE ${s}.uploads (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request       jsonb NOT NULL,
        model_bytes   bigint NOT NULL,
        scaler_bytes  bigint NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${s}.upload_parts (
        upload_id  uuid NOT NULL REFERENCES ${s}.uploads(id) ON DELETE CASCADE,
        part       varchar(8) NOT NULL CHECK (part IN ('model','scaler')),
        idx        int NOT NULL CHECK (idx >= 0),
        data       bytea NOT NULL,
        PRIMARY KEY (upload_id, part, idx)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`DROP TABLE ${s}.upload_parts`);
    await q.query(`DROP TABLE ${s}.uploads`);
    await q.query(`DROP TABLE ${s}.validation_reports`);
    await q.query(`DROP TABLE ${s}.model_aliases`);
    await q.query(`DELETE FROM ${s}.history WHERE kind = 'alias'`);
    await q.query(`ALTER TABLE ${s}.history
      DROP CONSTRAINT history_kind_ck, DROP CONSTRAINT history_action_ck, DROP CONSTRAINT history_model_seq_uq,
      DROP COLUMN alias, DROP COLUMN kind, DROP COLUMN seq,
      ALTER COLUMN to_version_id SET NOT NULL`);
    await q.query(`ALTER TABLE ${s}.history RENAME TO deployments`);
    await q.query(`ALTER TABLE ${s}.models DROP COLUMN history_seq`);
    await q.query(`ALTER TABLE ${s}.model_versions DROP COLUMN scaler_sha256, DROP COLUMN archived_at, DROP COLUMN tags`);
  }
}
