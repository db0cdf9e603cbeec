import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * The gateway's API keys (`api_keys`: only each key's SHA-256, its name and role, when it was made, last used and
 * revoked) and the audit log of state changes made through a gateway (`audit_log`, insert-only, paged by time and id).
 */
export class ApiKeysAndAudit1764300000000 implements MigrationInterface {
  name = 'ApiKeysAndAudit1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`
      CREATE TABLE ${s}.api_keys (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          varchar(64) NOT NULL,
        role          varchar(16) NOT NULL CHECK (role IN ('viewer','operator','admin')),
        hash          char(64) NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
        created_by    varchar(128) NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_used_at  timestamptz NULL,
        revoked_at    timestamptz NULL,
        revoked_by    varchar(128) NULL
      )`);
    await q.query(`CREATE INDEX api_keys_active_idx ON ${s}.api_keys (role) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE ${s}.audit_log (
        id          bigserial PRIMARY KEY,
        at          timestamptz NOT NULL,
        actor_id    varchar(64) NOT NULL,
        actor_name  varchar(64) NOT NULL,
        role        varchar(16) NOT NULL,
        action      varchar(64) NOT NULL,
        method      varchar(8) NOT NULL,
        route       varchar(256) NOT NULL,
        target      varchar(256) NULL,
        client_ip   varchar(64) NOT NULL,
        status      int NOT NULL,
        error_code  varchar(32) NULL
      )`);
    // pages are read newest first by (at, id); the filters are the actor and the action
    await q.query(`CREATE INDEX audit_log_at_idx ON ${s}.audit_log (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON ${s}.audit_log (actor_id, at DESC)`);
    await q.query(`CREATE INDEX audit_log_action_idx ON ${s}.audit_log (action, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`DROP TABLE ${s}.audit_log`);
    await q.query(`DROP TABLE ${s}.api_keys`);
  }
}
