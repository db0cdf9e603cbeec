/**
 * `@loglens/testing/models`: the models LogLens ships, rebuilt from data/ alone (the recipes behind
 * `tools/models/default-models.ts`, `npm run train` and `npm run eval`), the detectors they train, the HDFS and WiFi data
 * loaders and the WiFi office simulator. Specs and tools train the same models through it. A separate entry from
 * `@loglens/testing`: it loads the training code, which most specs do not need.
 */
export * from './lib/models/default-models';
export * from './lib/models/detectors';
export * from './lib/models/hdfs-deeplog-data';
export * from './lib/models/model-metadata';
export * from './lib/models/wifi-data';
export * from './lib/models/wifi-simulator';
