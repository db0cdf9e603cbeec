import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * Reference windows of versions without a reference profile (uploaded models): a drift bucket may carry the raw rows
 * of such a version (`sample`, libs/drift ReferenceSample) until the registry freezes the first
 * DRIFT_REFERENCE_WINDOWS of them into `metadata.referenceProfile`; the freeze enters the history as
 * `kind = 'drift'`, `action = 'drift-reference'`.
 */
export class ReferenceWindows1796700000000 implements MigrationInterface {
  name = 'ReferenceWindows1796700000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`ALTER TABLE ${s}.drift_buckets ADD COLUMN sample jsonb NULL`);
    await q.query(`CREATE INDEX drift_buckets_sample_idx ON ${s}.drift_buckets (version_id, bucket_start) WHERE sample IS NOT NULL`);
    await q.query(`ALTER TABLE ${s}.history DROP CONSTRAINT history_action_ck, DROP CONSTRAINT history_kind_ck`);
    await q.query(`ALTER TABLE ${s}.history
      ADD CONSTRAINT history_action_ck CHECK (action IN ('deploy','rollback','fallback','promote','alias-set','alias-delete','bind','unbind',
        'exp-start','exp-step','exp-pause','exp-resume','exp-abort','exp-rollback','exp-complete','drift-reference')),
      ADD CONSTRAINT history_kind_ck CHECK (kind IN ('serving','alias','binding','experiment','drift'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`DELETE FROM ${s}.history WHERE kind = 'drift'`);
    await q.query(`ALTER TABLE ${s}.history DROP CONSTRAINT history_action_ck, DROP CONSTRAINT history_kind_ck`);
    await q.query(`ALTER TABLE ${s}.history
      ADD CONSTRAINT history_action_ck CHECK (action IN ('deploy','rollback','fallback','promote','alias-set','alias-delete','bind','unbind',
        'exp-start','exp-step','exp-pause','exp-resume','exp-abort','exp-rollback','exp-complete')),
      ADD CONSTRAINT history_kind_ck CHECK (kind IN ('serving','alias','binding','experiment'))`);
    await q.query(`DROP INDEX ${s}.drift_buckets_sample_idx`);
    await q.query(`ALTER TABLE ${s}.drift_buckets DROP COLUMN sample`);
  }
}
