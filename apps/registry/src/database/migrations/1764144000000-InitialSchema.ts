import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

export class InitialSchema1764144000000 implements MigrationInterface {
  name = 'InitialSchema1764144000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`
      CREATE TABLE ${s}.artifacts (
        sha256      char(64) PRIMARY KEY,
        size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
        data        bytea NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${s}.models (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                varchar(64) NOT NULL UNIQUE,
        task                varchar(64) NOT NULL,
        description         text NOT NULL DEFAULT '',
        owner               varchar(128) NOT NULL,
        serving_version_id  uuid NULL,
        serving_since       timestamptz NULL,
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${s}.model_versions (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id        uuid NOT NULL REFERENCES ${s}.models(id) ON DELETE RESTRICT,
        version         int NOT NULL CHECK (version > 0),
        status          varchar(16) NOT NULL,
        artifact_sha256 char(64) NOT NULL REFERENCES ${s}.artifacts(sha256) ON DELETE RESTRICT,
        size_bytes      bigint NOT NULL,
        ir_version      int NOT NULL,
        opsets          jsonb NOT NULL,
        producer        varchar(128) NOT NULL DEFAULT '',
        signature       jsonb NOT NULL,
        feature_schema  jsonb NULL,
        input_name      varchar(256) NOT NULL,
        score_output    varchar(256) NOT NULL,
        threshold       double precision NULL,
        metadata        jsonb NOT NULL DEFAULT '{}',
        created_by      varchar(128) NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT model_versions_model_version_uq UNIQUE (model_id, version),
        CONSTRAINT model_versions_status_ck CHECK (status IN ('registered','validated','invalid','loaded','serving','retired'))
      )`);
    await q.query(`CREATE INDEX model_versions_artifact_idx ON ${s}.model_versions (artifact_sha256)`);
    await q.query(`
      ALTER TABLE ${s}.models ADD CONSTRAINT models_serving_version_fk
        FOREIGN KEY (serving_version_id) REFERENCES ${s}.model_versions(id) ON DELETE RESTRICT`);
    await q.query(`
      CREATE TABLE ${s}.deployments (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id         uuid NOT NULL REFERENCES ${s}.models(id) ON DELETE RESTRICT,
        from_version_id  uuid NULL REFERENCES ${s}.model_versions(id) ON DELETE RESTRICT,
        to_version_id    uuid NOT NULL REFERENCES ${s}.model_versions(id) ON DELETE RESTRICT,
        action           varchar(16) NOT NULL CHECK (action IN ('deploy','rollback','fallback','promote')),
        actor            varchar(128) NOT NULL,
        reason           text NOT NULL DEFAULT '',
        at               timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX deployments_model_at_idx ON ${s}.deployments (model_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`DROP TABLE ${s}.deployments`);
    await q.query(`ALTER TABLE ${s}.models DROP CONSTRAINT models_serving_version_fk`);
    await q.query(`DROP TABLE ${s}.model_versions`);
    await q.query(`DROP TABLE ${s}.models`);
    await q.query(`DROP TABLE ${s}.artifacts`);
  }
}
