export * from './lib/ports';
export * from './lib/nats-server';
export * from './lib/embedded-postgres';
export * from './lib/nats-permissions';
export * from './lib/nats-security';
export * from './lib/wait-for';
