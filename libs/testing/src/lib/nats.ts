import { existsSync } from 'node:fs';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { PATIENT_FIRST_CONNECT, natsConnectOptions } from '@loglens/nest-common';

/** The NATS the integration setup provides (NATS_URL, or the server it started). */
export function testNatsUrl(): string {
  const url = process.env['NATS_URL'];
  if (!url) throw new Error('NATS_URL is not set: run integration specs through jest.int.config.js');
  return url;
}

export function testDatabaseUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set: run integration specs through jest.int.config.js');
  return url;
}

/**
 * `NATS_NKEY_FILE` for a principal (a service name, `log-producer` or `ops`) from a credentials folder — by default
 * the one the integration setup wrote (`LOGLENS_NATS_CREDENTIALS`); `{}` when the NATS is open (NATS_URL given).
 */
export function natsCredentialEnv(principal: string, dir = process.env['LOGLENS_NATS_CREDENTIALS']): NodeJS.ProcessEnv {
  if (!dir) return {};
  const file = path.join(dir, `${principal}.nk`);
  return existsSync(file) ? { NATS_NKEY_FILE: file } : {};
}

/** A client of the test NATS with the operator's credential (all subjects of the namespace) when it needs one. */
export function connectTestNats(name = 'test', url = testNatsUrl(), credentialsDir?: string): Promise<NatsConnection> {
  return connect({ ...natsConnectOptions('ops', natsCredentialEnv('ops', credentialsDir)), ...PATIENT_FIRST_CONNECT, servers: url, name });
}
