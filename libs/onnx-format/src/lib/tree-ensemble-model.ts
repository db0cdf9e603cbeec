import { OnnxGraphBuilder, ONNX_ML_DOMAIN, onnxAttr } from './onnx-graph-builder';
import { FEATURE_NAMES_METADATA_KEY, LOGISTIC_INPUT_NAME, LOGISTIC_OUTPUT_NAME } from './logistic-regression-model';

/**
 * A tree as the trainers store it: flat nodes, node 0 the root, `x[feature] <= threshold` goes left. `cover` is the
 * number of training rows that reached a node; when every node of every tree has one, the writer stores them as
 * `nodes_hitrates` (TreeSHAP's path-dependent weights; onnxruntime ignores them).
 */
export interface TreeEnsembleTree {
  nodes: ReadonlyArray<{ feature: number; threshold: number; left: number; right: number; cover?: number } | { value: number; cover?: number }>;
}

export interface TreeEnsembleNodeOptions {
  /** 'SUM' adds leaf values (boosting), 'AVERAGE' means them (forests). */
  aggregate: 'SUM' | 'AVERAGE';
  /** Added to the aggregate (boosting's starting log-odds). */
  baseValue?: number;
  featureCount: number;
}

/**
 * Adds one `ai.onnx.ml` TreeEnsembleRegressor node (ml opset 3; one target) reading `input` [N, F] and writing
 * `output` [N, 1]. Modes are BRANCH_LEQ, the trainers' `<=` rule; thresholds and leaf values are stored as float32.
 */
export function addTreeEnsembleRegressor(
  g: OnnxGraphBuilder,
  input: string,
  output: string,
  trees: readonly TreeEnsembleTree[],
  opts: TreeEnsembleNodeOptions,
): void {
  if (trees.length === 0) throw new RangeError('a tree ensemble needs at least one tree');
  const a = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    values: [] as number[],
    modes: [] as string[],
    trueIds: [] as number[],
    falseIds: [] as number[],
    targetTreeIds: [] as number[],
    targetNodeIds: [] as number[],
    targetWeights: [] as number[],
    hitrates: [] as number[],
  };
  trees.forEach((tree, t) => {
    if (tree.nodes.length === 0) throw new RangeError(`tree ${t} has no nodes`);
    tree.nodes.forEach((node, id) => {
      a.treeIds.push(t);
      a.nodeIds.push(id);
      a.hitrates.push(node.cover !== undefined && Number.isFinite(node.cover) && node.cover >= 0 ? node.cover : NaN);
      if ('feature' in node) {
        if (!(node.feature >= 0 && node.feature < opts.featureCount)) {
          throw new RangeError(`tree ${t} node ${id} splits on feature ${node.feature} of ${opts.featureCount}`);
        }
        for (const child of [node.left, node.right]) {
          if (!(child > 0 && child < tree.nodes.length)) throw new RangeError(`tree ${t} node ${id} points at node ${child}`);
        }
        if (!Number.isFinite(node.threshold)) throw new RangeError(`tree ${t} node ${id} has a non-finite threshold`);
        a.featureIds.push(node.feature);
        a.values.push(node.threshold);
        a.modes.push('BRANCH_LEQ');
        a.trueIds.push(node.left);
        a.falseIds.push(node.right);
      } else {
        if (!Number.isFinite(node.value)) throw new RangeError(`tree ${t} leaf ${id} has a non-finite value`);
        a.featureIds.push(0);
        a.values.push(0);
        a.modes.push('LEAF');
        a.trueIds.push(0);
        a.falseIds.push(0);
        a.targetTreeIds.push(t);
        a.targetNodeIds.push(id);
        a.targetWeights.push(node.value);
      }
    });
  });
  g.addNode({
    opType: 'TreeEnsembleRegressor',
    domain: ONNX_ML_DOMAIN,
    name: 'trees',
    inputs: [input],
    outputs: [output],
    attributes: {
      n_targets: onnxAttr.int(1),
      aggregate_function: onnxAttr.string(opts.aggregate),
      post_transform: onnxAttr.string('NONE'),
      base_values: onnxAttr.floats([opts.baseValue ?? 0]),
      nodes_treeids: onnxAttr.ints(a.treeIds),
      nodes_nodeids: onnxAttr.ints(a.nodeIds),
      nodes_featureids: onnxAttr.ints(a.featureIds),
      nodes_values: onnxAttr.floats(a.values),
      nodes_modes: onnxAttr.strings(a.modes),
      nodes_truenodeids: onnxAttr.ints(a.trueIds),
      nodes_falsenodeids: onnxAttr.ints(a.falseIds),
      target_treeids: onnxAttr.ints(a.targetTreeIds),
      target_nodeids: onnxAttr.ints(a.targetNodeIds),
      target_ids: onnxAttr.ints(a.targetTreeIds.map(() => 0)),
      target_weights: onnxAttr.floats(a.targetWeights),
      ...(a.hitrates.every((h) => !Number.isNaN(h)) ? { nodes_hitrates: onnxAttr.floats(a.hitrates) } : {}),
    },
  });
}

interface CommonModelParams {
  featureNames: string[];
  modelName?: string;
  docString?: string;
  metadataProps?: Record<string, string>;
}

export interface IsolationForestModelParams extends CommonModelParams {
  /** Trees whose leaves hold path lengths (depth + c(size)). */
  trees: readonly TreeEnsembleTree[];
  /** c(ψ) of the sample size. */
  normalizer: number;
  /** Optional training-range guard (see @loglens/training RangeGuard): score = max(forest score, g / (1 + g)). */
  guard?: { lower: readonly number[]; upper: readonly number[]; scale: readonly number[] };
}

/**
 * Writes score [N, 1] = 2^(−mean path length / c(ψ)) for an isolation forest: a TreeEnsembleRegressor averaging the
 * leaves' path lengths, then Mul and Exp (2^x = e^(x·ln 2)).
 */
export function writeIsolationForestModel(p: IsolationForestModelParams): Uint8Array {
  if (!(p.normalizer > 0)) throw new RangeError('normalizer c(ψ) must be > 0');
  const g = startGraph(p, p.modelName ?? 'isolation_forest', 'anomaly score in (0, 1]; ≥ 0.5 leans anomalous');
  addTreeEnsembleRegressor(g, LOGISTIC_INPUT_NAME, 'path_length', p.trees, {
    aggregate: 'AVERAGE',
    featureCount: p.featureNames.length,
  });
  const k = g.addInitializer('neg_ln2_over_c', { elemType: 'float32', dims: [1], values: [-Math.LN2 / p.normalizer] });
  g.addNode({ opType: 'Mul', name: 'normalise', inputs: ['path_length', k], outputs: ['log_score'] });
  if (!p.guard) {
    g.addNode({ opType: 'Exp', name: 'score', inputs: ['log_score'], outputs: [LOGISTIC_OUTPUT_NAME] });
    return finish(g, p);
  }
  g.addNode({ opType: 'Exp', name: 'forest_score', inputs: ['log_score'], outputs: ['forest_score'] });
  addRangeGuard(g, p.guard, p.featureNames.length, 'guard_score');
  g.addNode({ opType: 'Max', name: 'score', inputs: ['forest_score', 'guard_score'], outputs: [LOGISTIC_OUTPUT_NAME] });
  return finish(g, p);
}

export interface GradientBoostingModelParams extends CommonModelParams {
  trees: readonly TreeEnsembleTree[];
  /** Starting log-odds. */
  base: number;
}

/** Writes score [N, 1] = sigmoid(base + Σ leaf values) for boosted trees on the logistic loss. */
export function writeGradientBoostingModel(p: GradientBoostingModelParams): Uint8Array {
  if (!Number.isFinite(p.base)) throw new RangeError('base must be finite');
  const g = startGraph(p, p.modelName ?? 'gradient_boosting', 'anomaly probability in [0, 1]');
  addTreeEnsembleRegressor(g, LOGISTIC_INPUT_NAME, 'logit', p.trees, {
    aggregate: 'SUM',
    baseValue: p.base,
    featureCount: p.featureNames.length,
  });
  g.addNode({ opType: 'Sigmoid', name: 'squash', inputs: ['logit'], outputs: [LOGISTIC_OUTPUT_NAME] });
  return finish(g, p);
}

/** guard_score [N, 1] = g / (1 + g), g = max_j max(x_j − upper_j, lower_j − x_j, 0) / scale_j. */
function addRangeGuard(
  g: OnnxGraphBuilder,
  guard: NonNullable<IsolationForestModelParams['guard']>,
  f: number,
  output: string,
): void {
  for (const [label, values] of Object.entries(guard)) {
    if (values.length !== f || !values.every(Number.isFinite)) throw new RangeError(`guard.${label} needs ${f} finite values`);
  }
  if (guard.scale.some((v) => !(v > 0))) throw new RangeError('guard.scale must be > 0');
  const upper = g.addInitializer('guard_upper', { elemType: 'float32', dims: [f], values: guard.upper });
  const lower = g.addInitializer('guard_lower', { elemType: 'float32', dims: [f], values: guard.lower });
  const scale = g.addInitializer('guard_scale', { elemType: 'float32', dims: [f], values: guard.scale });
  const one = g.addInitializer('one', { elemType: 'float32', dims: [1], values: [1] });
  g.addNode({ opType: 'Sub', name: 'above_range', inputs: [LOGISTIC_INPUT_NAME, upper], outputs: ['above'] });
  g.addNode({ opType: 'Sub', name: 'below_range', inputs: [lower, LOGISTIC_INPUT_NAME], outputs: ['below'] });
  g.addNode({ opType: 'Max', name: 'outside', inputs: ['above', 'below'], outputs: ['outside'] });
  g.addNode({ opType: 'Div', name: 'in_ranges', inputs: ['outside', scale], outputs: ['outside_scaled'] });
  // ReduceMax takes its axes as an attribute up to opset 17
  g.addNode({
    opType: 'ReduceMax',
    name: 'farthest',
    inputs: ['outside_scaled'],
    outputs: ['farthest'],
    attributes: { axes: onnxAttr.ints([1]), keepdims: onnxAttr.int(1) },
  });
  g.addNode({ opType: 'Relu', name: 'distance', inputs: ['farthest'], outputs: ['distance'] });
  g.addNode({ opType: 'Add', name: 'distance_plus_one', inputs: ['distance', one], outputs: ['distance_plus_one'] });
  g.addNode({ opType: 'Div', name: 'guard', inputs: ['distance', 'distance_plus_one'], outputs: [output] });
}

function startGraph(p: CommonModelParams, name: string, outputDoc: string): OnnxGraphBuilder {
  const f = p.featureNames.length;
  if (f === 0) throw new RangeError('a model needs at least one feature');
  const g = new OnnxGraphBuilder(name);
  g.addInput(LOGISTIC_INPUT_NAME, 'float32', ['N', f], `raw feature values in the order of ${FEATURE_NAMES_METADATA_KEY}`);
  g.addOutput(LOGISTIC_OUTPUT_NAME, 'float32', ['N', 1], outputDoc);
  return g;
}

function finish(g: OnnxGraphBuilder, p: CommonModelParams): Uint8Array {
  return g.toBytes({
    docString: p.docString,
    metadataProps: { [FEATURE_NAMES_METADATA_KEY]: JSON.stringify(p.featureNames), ...p.metadataProps },
  });
}
