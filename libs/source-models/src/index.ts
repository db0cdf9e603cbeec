export * from './lib/source-model';
