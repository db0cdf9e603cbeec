import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { testDatabaseUrl } from './nats';

/** A fresh schema name, so a spec's tables never meet another run's (the CI database is shared). */
export function uniqueSchema(prefix = 'it'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
