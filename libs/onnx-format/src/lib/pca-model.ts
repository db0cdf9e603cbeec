import { OnnxGraphBuilder, onnxAttr } from './onnx-graph-builder';
import { FEATURE_NAMES_METADATA_KEY, LOGISTIC_INPUT_NAME, LOGISTIC_OUTPUT_NAME } from './logistic-regression-model';

/** Element-wise transform before standardisation, as @loglens/training's PcaTransform. */
export type PcaModelTransform = 'none' | 'log1p' | 'presence';

export interface PcaModelParams {
  featureNames: string[];
  /** 'log1p' → Log(x + 1); 'presence' → Cast(Greater(x, 0)); 'none' (default) writes the same graph as before. */
  transform?: PcaModelTransform;
  mean: number[];
  scale: number[];
  /** I − PᵀP, F × F row-major: z times it is the residual of z outside the principal subspace. */
  residualProjector: number[][];
  /** SPE limit (score 0.5): the Q statistic or a held-out quantile of training SPEs. */
  qThreshold: number;
  modelName?: string;
  docString?: string;
  metadataProps?: Record<string, string>;
}

/**
 * Writes score [N, 1] = SPE / (SPE + Q) with SPE = ‖((t(x) − mean) / scale)·(I − PᵀP)‖²: PCA reconstruction error,
 * bounded to [0, 1) and 0.5 at the SPE limit Q; t is the optional element-wise transform.
 */
export function writePcaModel(p: PcaModelParams): Uint8Array {
  const f = p.featureNames.length;
  if (f === 0) throw new RangeError('a PCA model needs at least one feature');
  for (const [label, values] of [
    ['mean', p.mean],
    ['scale', p.scale],
  ] as const) {
    if (values.length !== f || !values.every(Number.isFinite)) throw new RangeError(`${label} needs ${f} finite values`);
  }
  if (p.scale.some((s) => s === 0)) throw new RangeError('scale must not contain zeros');
  if (p.residualProjector.length !== f || p.residualProjector.some((r) => r.length !== f || !r.every(Number.isFinite))) {
    throw new RangeError(`residualProjector must be ${f} × ${f} finite values`);
  }
  if (!(p.qThreshold > 0)) throw new RangeError('qThreshold must be > 0');

  const g = new OnnxGraphBuilder(p.modelName ?? 'pca_reconstruction');
  g.addInput(LOGISTIC_INPUT_NAME, 'float32', ['N', f], `raw feature values in the order of ${FEATURE_NAMES_METADATA_KEY}`);
  g.addOutput(LOGISTIC_OUTPUT_NAME, 'float32', ['N', 1], 'SPE / (SPE + Q) in [0, 1); ≥ 0.5 beyond the Q statistic');
  const mean = g.addInitializer('scaler_mean', { elemType: 'float32', dims: [f], values: p.mean });
  const scale = g.addInitializer('scaler_scale', { elemType: 'float32', dims: [f], values: p.scale });
  const proj = g.addInitializer('residual_projector', { elemType: 'float32', dims: [f, f], values: p.residualProjector.flat() });
  const axes = g.addInitializer('feature_axis', { elemType: 'int64', dims: [1], values: [1] });
  const q = g.addInitializer('q_threshold', { elemType: 'float32', dims: [1], values: [p.qThreshold] });
  const transform = p.transform ?? 'none';
  let input = LOGISTIC_INPUT_NAME;
  if (transform === 'log1p') {
    const one = g.addInitializer('one', { elemType: 'float32', dims: [1], values: [1] });
    g.addNode({ opType: 'Add', name: 'plus_one', inputs: [LOGISTIC_INPUT_NAME, one], outputs: ['plus_one'] });
    g.addNode({ opType: 'Log', name: 'log1p', inputs: ['plus_one'], outputs: ['transformed'] });
    input = 'transformed';
  } else if (transform === 'presence') {
    const zero = g.addInitializer('zero', { elemType: 'float32', dims: [1], values: [0] });
    g.addNode({ opType: 'Greater', name: 'present', inputs: [LOGISTIC_INPUT_NAME, zero], outputs: ['present'] });
    // Cast to FLOAT (TensorProto.DataType 1)
    g.addNode({ opType: 'Cast', name: 'presence', inputs: ['present'], outputs: ['transformed'], attributes: { to: onnxAttr.int(1) } });
    input = 'transformed';
  } else if (transform !== 'none') {
    throw new RangeError(`unknown transform '${String(transform)}'`);
  }
  g.addNode({ opType: 'Sub', name: 'center', inputs: [input, mean], outputs: ['centered'] });
  g.addNode({ opType: 'Div', name: 'standardize', inputs: ['centered', scale], outputs: ['standardized'] });
  g.addNode({ opType: 'MatMul', name: 'residual', inputs: ['standardized', proj], outputs: ['residual'] });
  g.addNode({ opType: 'Mul', name: 'square', inputs: ['residual', 'residual'], outputs: ['squared'] });
  g.addNode({ opType: 'ReduceSum', name: 'spe', inputs: ['squared', axes], outputs: ['spe'], attributes: {} });
  g.addNode({ opType: 'Add', name: 'spe_plus_q', inputs: ['spe', q], outputs: ['denominator'] });
  g.addNode({ opType: 'Div', name: 'bound', inputs: ['spe', 'denominator'], outputs: [LOGISTIC_OUTPUT_NAME] });
  return g.toBytes({
    docString: p.docString,
    metadataProps: { [FEATURE_NAMES_METADATA_KEY]: JSON.stringify(p.featureNames), ...p.metadataProps },
  });
}
