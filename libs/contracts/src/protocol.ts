/**
 * `@loglens/contracts/protocol`: the protocol without the runtime validation — subjects with their message types,
 * limits, roles, patterns and error codes. Dependency-free (no class-validator, no class-transformer), so the console
 * imports values from here; `@loglens/contracts` adds the validated message classes for the services.
 * Message classes are exported as types only: a value import of one fails to compile.
 */
export * from './lib/namespace';
export * from './lib/typed-subject';
export * from './lib/subjects';
export * from './lib/errors';
export * from './lib/version-ref';
export * from './lib/limits';
export * from './lib/kserve';
export * from './lib/version-lifecycle';
export type * from './lib/model.dto';
export type * from './lib/validation.dto';
export type * from './lib/performance.dto';
export type * from './lib/registry.messages';
export type * from './lib/drift.messages';
export * from './lib/drift-windows';
export * from './lib/partitions';
export type * from './lib/inference.messages';
export type * from './lib/health.messages';
export type * from './lib/lifecycle.messages';
export type * from './lib/analysis.messages';
export type * from './lib/sources.messages';
export type * from './lib/auth.messages';
export type * from './lib/idempotency.messages';
export type * from './lib/experiments.messages';
