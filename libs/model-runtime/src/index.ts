export * from './lib/rows';
export * from './lib/onnx-session';
