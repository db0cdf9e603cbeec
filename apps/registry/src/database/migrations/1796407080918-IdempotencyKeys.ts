import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * `idempotency_keys`: the Idempotency-Key of every REST change the gateway forwards, with the first answer, kept for
 * IDEMPOTENCY_TTL_MS (24 h by default). Expired rows are swept by the registry.
 */
export class IdempotencyKeys1796407080918 implements MigrationInterface {
  name = 'IdempotencyKeys1796407080918';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`
      CREATE TABLE ${s}.idempotency_keys (
        scope         varchar(128) NOT NULL,
        key           varchar(255) NOT NULL,
        fingerprint   char(64) NOT NULL,
        request       varchar(300) NOT NULL,
        state         varchar(8) NOT NULL CHECK (state IN ('pending','done')),
        status        int NULL,
        body          json NULL,
        locked_until  timestamptz NULL,
        expires_at    timestamptz NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_idx ON ${s}.idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${schemaOf(q)}".idempotency_keys`);
  }
}
