import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * Per-source models: `source_bindings` (which model scores a source; one row per source, so a source is never bound
 * twice), `jobs` (train jobs the trainer runs, their progress and outcome), and binding changes in the history
 * (`kind = 'binding'`, actions `bind` / `unbind`, the source in its own column).
 */
export class SourceModels1764200000000 implements MigrationInterface {
  name = 'SourceModels1764200000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`
      CREATE TABLE ${s}.source_bindings (
        source    varchar(64) PRIMARY KEY,
        model_id  uuid NOT NULL REFERENCES ${s}.models(id) ON DELETE RESTRICT,
        agent     varchar(8) NOT NULL CHECK (agent IN ('base','wifi')),
        bound_by  varchar(128) NOT NULL,
        bound_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX source_bindings_model_idx ON ${s}.source_bindings (model_id)`);
    await q.query(`
      CREATE TABLE ${s}.jobs (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind         varchar(16) NOT NULL CHECK (kind IN ('train')),
        model        varchar(64) NOT NULL,
        state        varchar(16) NOT NULL CHECK (state IN ('queued','running','succeeded','failed')),
        progress     jsonb NOT NULL,
        params       jsonb NOT NULL,
        file         jsonb NULL,
        result       jsonb NULL,
        error        jsonb NULL,
        worker       varchar(128) NULL,
        attempts     int NOT NULL DEFAULT 0,
        created_by   varchar(128) NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX jobs_created_idx ON ${s}.jobs (created_at DESC)`);
    await q.query(`CREATE INDEX jobs_model_created_idx ON ${s}.jobs (model, created_at DESC)`);
    await q.query(`ALTER TABLE ${s}.history
      ADD COLUMN source varchar(64) NULL,
      DROP CONSTRAINT history_action_ck,
      DROP CONSTRAINT history_kind_ck`);
    await q.query(`ALTER TABLE ${s}.history
      ADD CONSTRAINT history_action_ck CHECK (action IN ('deploy','rollback','fallback','promote','alias-set','alias-delete','bind','unbind')),
      ADD CONSTRAINT history_kind_ck CHECK (kind IN ('serving','alias','binding'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`DELETE FROM ${s}.history WHERE kind = 'binding'`);
    await q.query(`ALTER TABLE ${s}.history DROP CONSTRAINT history_action_ck, DROP CONSTRAINT history_kind_ck, DROP COLUMN source`);
    await q.query(`ALTER TABLE ${s}.history
      ADD CONSTRAINT history_action_ck CHECK (action IN ('deploy','rollback','fallback','promote','alias-set','alias-delete')),
      ADD CONSTRAINT history_kind_ck CHECK (kind IN ('serving','alias'))`);
    await q.query(`DROP TABLE ${s}.jobs`);
    await q.query(`DROP TABLE ${s}.source_bindings`);
  }
}
