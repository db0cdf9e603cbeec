import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * Experiments (A/B, canary, shadow): one row each, with its steps and per-arm counts; a partial unique index keeps
 * one active (running or paused) experiment per model. Experiment changes enter the history as `kind = 'experiment'`
 * with `exp-*` actions (the figures and the experiment id in the reason).
 */
export class Experiments1796500000000 implements MigrationInterface {
  name = 'Experiments1796500000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`
      CREATE TABLE ${s}.experiments (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id            uuid NOT NULL REFERENCES ${s}.models(id) ON DELETE RESTRICT,
        kind                varchar(8) NOT NULL CHECK (kind IN ('ab','canary','shadow')),
        control_version_id  uuid NOT NULL REFERENCES ${s}.model_versions(id) ON DELETE RESTRICT,
        control_version     int NOT NULL,
        candidates          jsonb NOT NULL,
        stickiness          jsonb NULL,
        canary              jsonb NULL,
        shadow              jsonb NULL,
        criteria            jsonb NOT NULL,
        state               varchar(16) NOT NULL CHECK (state IN ('running','paused','promoted','rolled-back','aborted','completed')),
        failed_checks       int NOT NULL DEFAULT 0,
        steps               jsonb NOT NULL,
        totals              jsonb NOT NULL,
        interval            jsonb NOT NULL,
        created_by          varchar(128) NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        checked_at          timestamptz NOT NULL DEFAULT now(),
        ended_at            timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX experiments_one_active_idx ON ${s}.experiments (model_id) WHERE state IN ('running','paused')`);
    await q.query(`CREATE INDEX experiments_created_idx ON ${s}.experiments (created_at DESC)`);
    await q.query(`ALTER TABLE ${s}.history DROP CONSTRAINT history_action_ck, DROP CONSTRAINT history_kind_ck`);
    await q.query(`ALTER TABLE ${s}.history
      ADD CONSTRAINT history_action_ck CHECK (action IN ('deploy','rollback','fallback','promote','alias-set','alias-delete','bind','unbind',
        'exp-start','exp-step','exp-pause','exp-resume','exp-abort','exp-rollback','exp-complete')),
      ADD CONSTRAINT history_kind_ck CHECK (kind IN ('serving','alias','binding','experiment'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`DELETE FROM ${s}.history WHERE kind = 'experiment'`);
    await q.query(`ALTER TABLE ${s}.history DROP CONSTRAINT history_action_ck, DROP CONSTRAINT history_kind_ck`);
    await q.query(`ALTER TABLE ${s}.history
      ADD CONSTRAINT history_action_ck CHECK (action IN ('deploy','rollback','fallback','promote','alias-set','alias-delete','bind','unbind')),
      ADD CONSTRAINT history_kind_ck CHECK (kind IN ('serving','alias','binding'))`);
    await q.query(`DROP TABLE ${s}.experiments`);
  }
}
