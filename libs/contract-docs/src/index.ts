export * from './lib/json-schemas';
export * from './lib/subject-catalog';
export * from './lib/asyncapi';
