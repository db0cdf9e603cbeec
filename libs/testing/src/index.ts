export * from './lib/nats';
export * from './lib/schema';
export * from './lib/workspace';
export * from './lib/spawn-service';
export * from './lib/onnx-models';
export * from './lib/errors';
export * from './lib/stack-process';
export * from './lib/process-cpu';
