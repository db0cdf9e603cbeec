import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { declaredShapeModel, emptyNodesModel, nestedGraphsModel } from './hostile-onnx';
import { writeLogisticRegressionModel } from './logistic-regression-model';
import { OnnxGraphBuilder } from './onnx-graph-builder';
import { DEFAULT_ONNX_LIMITS, prescanOnnx } from './prescan-onnx';
import { writeGradientBoostingModel, writeIsolationForestModel, type TreeEnsembleTree } from './tree-ensemble-model';

function onnxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? onnxFiles(p) : name.endsWith('.onnx') ? [p] : [];
  });
}

function failure(bytes: Uint8Array, limits = DEFAULT_ONNX_LIMITS): { limit: string; message: string } {
  const r = prescanOnnx(bytes, limits);
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.stats)}`);
  return { limit: r.limit, message: r.message };
}

describe('prescanOnnx', () => {
  it('passes every third-party model the project tests against, with its node count and depth', () => {
    const files = [...onnxFiles(path.join(__dirname, '../../../../data/onnx-models')), ...onnxFiles(path.join(__dirname, '../fixtures'))];
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const bytes = readFileSync(f);
      const r = prescanOnnx(bytes);
      expect({ f, ok: r.ok }).toEqual({ f, ok: true });
      // agrees with the decoder on what the top-level graph holds
      const graph = onnx.ModelProto.decode(bytes).graph!;
      expect(r.stats.nodes).toBeGreaterThanOrEqual(graph.node!.length);
      expect(r.stats.graphDepth).toBeGreaterThanOrEqual(1);
    }
  });

  it('passes models written by the project’s own writers at sizes beyond what training produces', () => {
    const width = 400;
    const names = Array.from({ length: width }, (_, i) => `f${i}`);
    const logreg = writeLogisticRegressionModel({ featureNames: names, mean: Array(width).fill(0), scale: Array(width).fill(1), weights: Array(width).fill(0.1), bias: 0 });
    expect(prescanOnnx(logreg).ok).toBe(true);
    // 200 trees of 511 nodes: more than the default gbdt / iforest models hold
    const trees = Array.from({ length: 200 }, () => fullTree(8, width));
    expect(prescanOnnx(writeGradientBoostingModel({ featureNames: names, trees, base: 0 })).ok).toBe(true);
    const guard = { lower: Array(width).fill(0), upper: Array(width).fill(1), scale: Array(width).fill(1) };
    expect(prescanOnnx(writeIsolationForestModel({ featureNames: names, trees, normalizer: 10, guard })).ok).toBe(true);
  });

  it('refuses 4M empty nodes (an 8 MB file) on the node count, without decoding', () => {
    const bytes = emptyNodesModel(4_000_000);
    expect(bytes.byteLength).toBeLessThan(9 * 2 ** 20);
    const r = failure(bytes);
    expect(r).toEqual({ limit: 'maxNodes', message: expect.stringMatching(/more than 100,000 nodes.*ONNX_MAX_NODES/) });
  });

  it('refuses 10,000 nested graphs on the graph depth', () => {
    expect(failure(nestedGraphsModel(10_000))).toEqual({ limit: 'maxGraphDepth', message: expect.stringMatching(/nested more than 8 deep.*ONNX_MAX_GRAPH_DEPTH/) });
    const eight = nestedGraphsModel(8);
    expect(prescanOnnx(eight)).toMatchObject({ ok: true, stats: { graphDepth: 8, nodes: 7 } });
    // the raw bytes are what onnx-proto reads too: 7 nested If nodes
    let g = onnx.ModelProto.decode(eight).graph;
    for (let i = 0; i < 7; i++) g = g!.node![0].attribute![0].g;
    expect(g?.node ?? []).toEqual([]);
  });

  it('refuses a declared 10^12-element input, and sizes past 2^64 without overflowing', () => {
    expect(failure(declaredShapeModel([1_000_000, 1_000_000]))).toEqual({
      limit: 'maxTensorElements',
      message: expect.stringMatching(/declared input, output or value shape has 1,000,000,000,000 elements.*ONNX_MAX_TENSOR_ELEMENTS/),
    });
    const huge = failure(declaredShapeModel([2 ** 52, 2 ** 52, 2 ** 52, 2 ** 52, 2 ** 52, 2 ** 52, 2 ** 52]));
    expect(huge.limit).toBe('maxTensorElements');
    // symbolic (absent) and negative dims say nothing about size
    expect(prescanOnnx(declaredShapeModel([-1, 1024])).ok).toBe(true);
    // the audit's 88-byte file: [1, 536870912] declared
    expect(failure(declaredShapeModel([1, 536_870_912])).limit).toBe('maxTensorElements');
  });

  it('refuses an initializer that declares more elements than allowed even with no data', () => {
    const g = new OnnxGraphBuilder('w');
    g.addInput('x', 'float32', ['N', 2]);
    g.addOutput('y', 'float32', ['N', 2]);
    g.addInitializer('w', { elemType: 'float32', dims: [2], values: [1, 1] });
    g.addNode({ opType: 'Mul', inputs: ['x', 'w'], outputs: ['y'] });
    const model = onnx.ModelProto.decode(g.toBytes());
    model.graph!.initializer![0].dims = [100_000, 100_000];
    const r = failure(onnx.ModelProto.encode(model).finish());
    expect(r).toEqual({ limit: 'maxTensorElements', message: expect.stringMatching(/a tensor in the file has 10,000,000,000 elements/) });
  });

  it('bounds the file size and the bytes of tensor data by configurable limits', () => {
    const bytes = writeLogisticRegressionModel({ featureNames: ['a', 'b'], mean: [0, 0], scale: [1, 1], weights: [1, 1], bias: 0 });
    expect(failure(bytes, { ...DEFAULT_ONNX_LIMITS, maxBytes: 100 })).toEqual({ limit: 'maxBytes', message: expect.stringMatching(/at most 100 are accepted \(ONNX_MAX_BYTES\)/) });
    expect(failure(bytes, { ...DEFAULT_ONNX_LIMITS, maxInitializerBytes: 8 }).limit).toBe('maxInitializerBytes');
  });

  it('refuses truncated and non-protobuf bytes as protobuf problems', () => {
    const bytes = writeLogisticRegressionModel({ featureNames: ['a', 'b'], mean: [0, 0], scale: [1, 1], weights: [1, 1], bias: 0 });
    expect(failure(bytes.subarray(0, bytes.length - 3)).limit).toBe('protobuf');
    expect(failure(Buffer.from('this is not a model at all')).limit).toBe('protobuf');
  });
});

/** A complete binary tree of the given depth, in the writers' flat node format. */
function fullTree(depth: number, width: number): TreeEnsembleTree {
  const inner = 2 ** depth - 1;
  const nodes: TreeEnsembleTree['nodes'][number][] = [];
  for (let id = 0; id < 2 * inner + 1; id++) {
    nodes.push(id < inner ? { feature: id % width, threshold: id / 7, left: 2 * id + 1, right: 2 * id + 2 } : { value: id / 100 });
  }
  return { nodes };
}
