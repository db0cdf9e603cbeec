export * from './lib/ports';
export * from './lib/nats-server';
export * from './lib/embedded-postgres';
