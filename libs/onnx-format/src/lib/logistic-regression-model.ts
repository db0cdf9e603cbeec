import { OnnxGraphBuilder } from './onnx-graph-builder';

export interface LogisticRegressionModelParams {
  featureNames: string[];
  /** Standard-scaler parameters, applied inside the graph so callers feed raw features. */
  mean: number[];
  scale: number[];
  /** Coefficients on standardised features, one per feature. */
  weights: number[];
  bias: number;
  modelName?: string;
  docString?: string;
  metadataProps?: Record<string, string>;
}

export const LOGISTIC_INPUT_NAME = 'features';
export const LOGISTIC_OUTPUT_NAME = 'score';
/** metadata_props key holding the JSON array of feature names, in input column order. */
export const FEATURE_NAMES_METADATA_KEY = 'feature_names';

/** Writes score [N, 1] = sigmoid(((features [N, F] - mean) / scale) · weights + bias) as ONNX bytes. */
export function writeLogisticRegressionModel(p: LogisticRegressionModelParams): Uint8Array {
  const f = p.featureNames.length;
  if (f === 0) throw new RangeError('a logistic regression model needs at least one feature');
  for (const [label, values] of [
    ['mean', p.mean],
    ['scale', p.scale],
    ['weights', p.weights],
  ] as const) {
    if (values.length !== f) throw new RangeError(`${label} has ${values.length} values for ${f} features`);
    if (!values.every(Number.isFinite)) throw new RangeError(`${label} contains a non-finite value`);
  }
  if (p.scale.some((s) => s === 0))
    throw new RangeError('scale must not contain zeros (use 1 for constant features)');
  if (!Number.isFinite(p.bias)) throw new RangeError('bias must be finite');

  const g = new OnnxGraphBuilder(p.modelName ?? 'logistic_regression');
  g.addInput(
    LOGISTIC_INPUT_NAME,
    'float32',
    ['N', f],
    `raw feature values in the order of ${FEATURE_NAMES_METADATA_KEY}`,
  );
  g.addOutput(LOGISTIC_OUTPUT_NAME, 'float32', ['N', 1], 'anomaly probability in [0, 1]');
  const mean = g.addInitializer('scaler_mean', { elemType: 'float32', dims: [f], values: p.mean });
  const scale = g.addInitializer('scaler_scale', { elemType: 'float32', dims: [f], values: p.scale });
  const weights = g.addInitializer('coef', { elemType: 'float32', dims: [f, 1], values: p.weights });
  const bias = g.addInitializer('intercept', { elemType: 'float32', dims: [1], values: [p.bias] });

  g.addNode({ opType: 'Sub', name: 'center', inputs: [LOGISTIC_INPUT_NAME, mean], outputs: ['centered'] });
  g.addNode({ opType: 'Div', name: 'standardize', inputs: ['centered', scale], outputs: ['standardized'] });
  g.addNode({ opType: 'MatMul', name: 'project', inputs: ['standardized', weights], outputs: ['projected'] });
  g.addNode({ opType: 'Add', name: 'offset', inputs: ['projected', bias], outputs: ['logit'] });
  g.addNode({ opType: 'Sigmoid', name: 'squash', inputs: ['logit'], outputs: [LOGISTIC_OUTPUT_NAME] });

  return g.toBytes({
    docString: p.docString,
    metadataProps: { [FEATURE_NAMES_METADATA_KEY]: JSON.stringify(p.featureNames), ...p.metadataProps },
  });
}
