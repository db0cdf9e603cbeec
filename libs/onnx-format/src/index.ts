export * from './lib/onnx-format-error';
export * from './lib/onnx-types';
export * from './lib/inspect-onnx';
export * from './lib/onnx-graph-builder';
export * from './lib/logistic-regression-model';
export * from './lib/tree-ensemble-model';
export * from './lib/pca-model';
