// The benchmark's two models, its request rows and the constants every scenario shares (tools/bench/inference.ts).
import { rpc, type PredictRequest } from '@loglens/contracts';
import { OnnxGraphBuilder, writeLogisticRegressionModel } from '@loglens/onnx-format';
import { createRng } from '@loglens/training';

export const CONCURRENCIES = [1, 16, 64] as const;
export const DEFAULTS = 'on (defaults: 256 rows, delay 0)';
export const SMALL = 'bench-small';
export const HEAVY = 'bench-mlp';
export const SMALL_FEATURES = 16;
export const HEAVY_FEATURES = 32;
/** MLP: HEAVY_LAYERS × (MatMul [H×H] + Add + Relu), one shared pseudo-random H×H matrix so the artifact stays inline-sized */
export const HEAVY_HIDDEN = 256;
export const HEAVY_LAYERS = 256;
/** answered by tools/bench/transport-echo.mjs with the request's own bytes */
export const ECHO_SUBJECT = rpc<PredictRequest, unknown>()('bench.echo.v1');
export const API_KEY = 'bench-viewer-key-0001';

export const featureNames = (n: number) =>
  Array.from({ length: n }, (_, i) => `f${String(i).padStart(2, '0')}`);

export function smallModel(bias: number): Uint8Array {
  const r = createRng(7).next;
  return writeLogisticRegressionModel({
    featureNames: featureNames(SMALL_FEATURES),
    mean: Array.from({ length: SMALL_FEATURES }, () => r()),
    scale: Array.from({ length: SMALL_FEATURES }, () => 0.5 + r()),
    weights: Array.from({ length: SMALL_FEATURES }, () => r() * 2 - 1),
    bias,
    modelName: 'bench_small_logreg',
  });
}

/**
 * A deep, wide-enough MLP whose batch-1 run costs about a millisecond on one core: features [N,F] → HEAVY_LAYERS ×
 * Relu(x·W + b) with one shared W [H,H] → Sigmoid(x·w_out + b_out) [N,1]. Sharing W keeps the artifact under the
 * inline registration cap while the compute stays that of a deep network.
 */
export function heavyModel(): Uint8Array {
  const r = createRng(42).next;
  const f = HEAVY_FEATURES;
  const h = HEAVY_HIDDEN;
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
  const g = new OnnxGraphBuilder('bench_mlp');
  g.addInput('features', 'float32', ['N', f]);
  g.addOutput('score', 'float32', ['N', 1]);
  g.addInitializer('w_in', { elemType: 'float32', dims: [f, h], values: uniform(f * h, 1 / Math.sqrt(f)) });
  // a little under He-scale keeps activations bounded through the depth
  g.addInitializer('w_hidden', {
    elemType: 'float32',
    dims: [h, h],
    values: uniform(h * h, 1.5 / Math.sqrt(h)),
  });
  g.addInitializer('b_hidden', { elemType: 'float32', dims: [h], values: uniform(h, 0.05) });
  g.addInitializer('w_out', { elemType: 'float32', dims: [h, 1], values: uniform(h, 1 / Math.sqrt(h)) });
  g.addInitializer('b_out', { elemType: 'float32', dims: [1], values: [0] });
  let x = 'features';
  for (let i = 0; i < HEAVY_LAYERS; i++) {
    g.addNode({
      opType: 'MatMul',
      name: `dense${i}`,
      inputs: [x, i === 0 ? 'w_in' : 'w_hidden'],
      outputs: [`mm${i}`],
    });
    g.addNode({ opType: 'Add', name: `bias${i}`, inputs: [`mm${i}`, 'b_hidden'], outputs: [`z${i}`] });
    g.addNode({ opType: 'Relu', name: `relu${i}`, inputs: [`z${i}`], outputs: [`a${i}`] });
    x = `a${i}`;
  }
  g.addNode({ opType: 'MatMul', name: 'head', inputs: [x, 'w_out'], outputs: ['logit_raw'] });
  g.addNode({ opType: 'Add', name: 'head_bias', inputs: ['logit_raw', 'b_out'], outputs: ['logit'] });
  g.addNode({ opType: 'Sigmoid', name: 'squash', inputs: ['logit'], outputs: ['score'] });
  return g.toBytes({
    docString: `benchmark MLP: ${HEAVY_LAYERS} layers of ${HEAVY_HIDDEN} units sharing one weight matrix`,
  });
}

export function sampleRow(width: number, seed: number): number[] {
  const r = createRng(seed).next;
  return Array.from({ length: width }, () => Math.round(r() * 1000) / 100);
}
