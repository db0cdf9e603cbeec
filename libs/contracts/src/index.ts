export * from './lib/subjects';
export * from './lib/errors';
export * from './lib/validate';
export * from './lib/version-ref';
export * from './lib/model.dto';
export * from './lib/registry.messages';
export * from './lib/inference.messages';
export * from './lib/health.messages';
