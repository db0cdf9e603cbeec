export * from './lib/client';
export * from './lib/errors';
export * from './lib/log-records';
export * from './lib/routes';
export * from './lib/sse';
