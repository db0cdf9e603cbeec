import { connect, type NatsConnection } from 'nats';

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

export function connectTestNats(name = 'test'): Promise<NatsConnection> {
  return connect({ servers: testNatsUrl(), name });
}
