// Two registries starting at once on a fresh database: the migrations run under an advisory lock, so one applies them
// and the other waits and finds nothing to do. Without the lock both create the same tables and one fails its start
// (then comes up on Nest's retry 3 s later, which the spec does not accept).
// On the machine's Postgres (LOGLENS_SYSTEM_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres) in a database
// of its own, dropped afterwards; where no such Postgres answers, on the integration setup's one in a fresh schema.
import type { NatsConnection } from 'nats';
import { Client } from 'pg';
import { RegistrySubjects, type ListModelsReply } from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { connectTestNats, dropSchema, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, type RunningService } from '@loglens/testing';
import { REGISTRY_MIGRATIONS } from './database/data-source';

const SYSTEM_PG = process.env['LOGLENS_SYSTEM_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('registry migrations under an advisory lock', () => {
  const database = `loglens_migrate_${Date.now().toString(36)}`;
  const schema = uniqueSchema('migrate');
  let url = '';
  let systemPg = false;
  let nc: NatsConnection;
  const registries: RunningService[] = [];

  beforeAll(async () => {
    systemPg = await query(SYSTEM_PG, 'SELECT 1').then(
      () => true,
      () => false,
    );
    if (systemPg) {
      await query(SYSTEM_PG, `CREATE DATABASE ${database}`);
      const u = new URL(SYSTEM_PG);
      u.pathname = `/${database}`;
      url = u.toString();
    } else {
      console.warn(`no Postgres at ${SYSTEM_PG}: racing the migrations on the integration setup's Postgres instead`);
      url = testDatabaseUrl();
    }
    nc = await connectTestNats('migration-lock-int-spec');
  });

  afterAll(async () => {
    await Promise.all(registries.map((r) => r.stop()));
    await nc?.close();
    if (systemPg) await query(SYSTEM_PG, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    else await dropSchema(schema);
  });

  it('starts two registries at once on a fresh database: both come up, each migration applied once', async () => {
    const env = { NATS_URL: testNatsUrl(), DATABASE_URL: url, DATABASE_SCHEMA: schema };
    const started = await Promise.allSettled([spawnService('registry', nc, env), spawnService('registry', nc, env)]);
    for (const s of started) if (s.status === 'fulfilled') registries.push(s.value);
    expect(started.map((s) => (s.status === 'fulfilled' ? 'up' : String(s.reason).slice(0, 2000)))).toEqual(['up', 'up']);
    // up at the first attempt: Nest's TypeORM module retries a failed start every 3 s, which would hide a lost race. On
    // a real Postgres the lock leaves no race at all; the embedded one (one session for every client, so the lock
    // excludes nobody) may have the second registry look again at what is applied, inside its first start
    const lostRace = systemPg ? /Unable to connect to the database|already exists|duplicate key|migrated schema .* at the same time/i : /Unable to connect to the database/i;
    for (const r of registries) expect(r.output().split('\n').filter((l) => lostRace.test(l))).toEqual([]);
    const applied = await query<{ name: string; n: string }>(url, `SELECT name, count(*) AS n FROM "${schema}".registry_migrations GROUP BY name ORDER BY name`);
    expect(applied.map((r) => [r.name, Number(r.n)])).toEqual(REGISTRY_MIGRATIONS.map((m) => [m.name, 1]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    const rpc = new RpcClient(nc, 10_000);
    for (let i = 0; i < 4; i++) expect((await rpc.call(RegistrySubjects.listModels, {})).models).toEqual([]);
  });
});
