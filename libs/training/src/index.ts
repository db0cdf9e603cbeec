export * from './lib/standard-scaler';
export * from './lib/logistic-regression';
export * from './lib/quantiles';
export * from './lib/binary-metrics';
export * from './lib/event-counts';
export * from './lib/hdfs-sessions';
