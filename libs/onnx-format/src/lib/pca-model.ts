import { OnnxGraphBuilder } from './onnx-graph-builder';
import { FEATURE_NAMES_METADATA_KEY, LOGISTIC_INPUT_NAME, LOGISTIC_OUTPUT_NAME } from './logistic-regression-model';

export interface PcaModelParams {
  featureNames: string[];
  mean: number[];
  scale: number[];
  /** I − PᵀP, F × F row-major: z times it is the residual of z outside the principal subspace. */
  residualProjector: number[][];
  /** Q-statistic threshold on the squared residual. */
  qThreshold: number;
  modelName?: string;
  docString?: string;
  metadataProps?: Record<string, string>;
}

/**
 * Writes score [N, 1] = SPE / (SPE + Q) with SPE = ‖((x − mean) / scale)·(I − PᵀP)‖²: PCA reconstruction error,
 * bounded to [0, 1) and 0.5 at the Q-statistic threshold.
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
  g.addNode({ opType: 'Sub', name: 'center', inputs: [LOGISTIC_INPUT_NAME, mean], outputs: ['centered'] });
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
