export * from './lib/tensor-types';
export * from './lib/signature';
export * from './lib/rows';
export * from './lib/onnx-session';
export * from './lib/clock';
export * from './lib/dynamic-batcher';
export * from './lib/predict-batcher';
