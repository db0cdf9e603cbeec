export * from './lib/routing';
export * from './lib/stats';
export * from './lib/arm-stats';
export * from './lib/canary';
export * from './lib/report';
export * from './lib/shadow-queue';
