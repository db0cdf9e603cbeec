export const INGEST_ENV = Symbol('INGEST_ENV');
