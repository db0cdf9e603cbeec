import { attrFloats, attrInt, attrInts, attrString, attrStrings, type GraphNode } from './onnx-graph';
import type { ShapTree, SplitMode } from './tree-shap';

const MODES = new Set(['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ']);

export interface TreeEnsembleRead {
  trees: ShapTree[];
  /** the explained column's base value (`base_values[k]`) */
  base: number;
  /** whether `nodes_hitrates` gave the covers (else ½ each way) */
  covers: 'model' | 'uniform';
  aggregate: 'SUM' | 'AVERAGE';
  postTransform: string;
  /** the number of output columns and which one these trees explain */
  columns: number;
  column: number;
}

/**
 * Reads an `ai.onnx.ml` TreeEnsembleRegressor / TreeEnsembleClassifier (opsets 1 and 3) into trees whose leaves hold
 * the explained column's weight (divided by the tree count when the regressor averages). The column is the one the
 * worker reads as the score: column 1 of a two-column output (the positive class), else column 0 — or `column`.
 */
export function readTreeEnsemble(node: GraphNode, requested?: number): TreeEnsembleRead {
  const classifier = node.opType === 'TreeEnsembleClassifier';
  const treeIds = attrInts(node, 'nodes_treeids');
  const nodeIds = attrInts(node, 'nodes_nodeids');
  const featureIds = attrInts(node, 'nodes_featureids');
  const values = attrFloats(node, 'nodes_values');
  const modes = attrStrings(node, 'nodes_modes');
  const trueIds = attrInts(node, 'nodes_truenodeids');
  const falseIds = attrInts(node, 'nodes_falsenodeids');
  const missing = attrInts(node, 'nodes_missing_value_tracks_true');
  const hitrates = attrFloats(node, 'nodes_hitrates');
  const p = classifier ? 'class_' : 'target_';
  const leafTrees = attrInts(node, `${p}treeids`);
  const leafNodes = attrInts(node, `${p}nodeids`);
  const leafTargets = attrInts(node, `${p}ids`);
  const leafWeights = attrFloats(node, `${p}weights`);
  const n = treeIds.length;
  for (const [label, list] of [
    ['nodes_nodeids', nodeIds],
    ['nodes_featureids', featureIds],
    ['nodes_modes', modes],
    ['nodes_truenodeids', trueIds],
    ['nodes_falsenodeids', falseIds],
  ] as const) {
    if (list.length !== n) throw new Error(`${label} has ${list.length} entries for ${n} nodes`);
  }
  if (
    leafNodes.length !== leafTrees.length ||
    leafTargets.length !== leafTrees.length ||
    leafWeights.length !== leafTrees.length
  ) {
    throw new Error(`${p}* attributes disagree in length`);
  }
  let columns: number;
  let binarySingle = false;
  if (classifier) {
    const labels = Math.max(
      attrInts(node, 'classlabels_int64s').length,
      attrStrings(node, 'classlabels_strings').length,
    );
    const distinct = new Set(leafTargets);
    // a binary classifier may store weights for one class only: onnxruntime writes them as the positive column
    binarySingle = labels === 2 && distinct.size === 1;
    columns = labels;
  } else {
    columns = Math.max(1, attrInt(node, 'n_targets', 1));
  }
  const column = requested ?? (columns === 2 ? 1 : 0);
  if (column < 0 || column >= columns) throw new Error(`column ${column} of ${columns}`);
  const leafColumn = binarySingle ? [...new Set(leafTargets)][0] : column;
  const aggregate = classifier ? 'SUM' : (attrString(node, 'aggregate_function', 'SUM') as 'SUM' | 'AVERAGE');
  if (!['SUM', 'AVERAGE'].includes(aggregate))
    throw new Error(`aggregate_function ${aggregate} is not additive`);
  const baseValues = attrFloats(node, 'base_values');
  const base = binarySingle ? (baseValues[leafColumn] ?? baseValues[0] ?? 0) : (baseValues[column] ?? 0);

  // group nodes per tree, ids → local index
  const byTree = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byTree.get(treeIds[i]) ?? [];
    list.push(i);
    byTree.set(treeIds[i], list);
  }
  const leafValue = new Map<string, number>();
  for (let k = 0; k < leafTrees.length; k++) {
    if (leafTargets[k] !== leafColumn) continue;
    const key = `${leafTrees[k]}:${leafNodes[k]}`;
    leafValue.set(key, (leafValue.get(key) ?? 0) + leafWeights[k]);
  }
  const scale = aggregate === 'AVERAGE' ? 1 / byTree.size : 1;
  const useHitrates = hitrates.length === n && hitrates.every((h) => h >= 0 && Number.isFinite(h));
  const trees: ShapTree[] = [];
  for (const [treeId, members] of [...byTree].sort((a, b) => a[0] - b[0])) {
    const local = new Map<number, number>();
    members.forEach((g, i) => local.set(nodeIds[g], i));
    const m = members.length;
    const t: ShapTree = {
      feature: new Int32Array(m),
      threshold: new Float64Array(m),
      mode: new Array<SplitMode>(m),
      trueChild: new Int32Array(m).fill(-1),
      falseChild: new Int32Array(m).fill(-1),
      missingTrue: new Uint8Array(m),
      value: new Float64Array(m),
      zeroFraction: new Float64Array(m).fill(1),
      depth: 0,
    };
    const cover = new Float64Array(m);
    members.forEach((g, i) => {
      cover[i] = useHitrates ? hitrates[g] : 0;
      if (modes[g] === 'LEAF') {
        t.value[i] = (leafValue.get(`${treeId}:${nodeIds[g]}`) ?? 0) * scale;
        return;
      }
      if (!MODES.has(modes[g]))
        throw new Error(`tree ${treeId} node ${nodeIds[g]}: mode ${modes[g]} is not supported`);
      const tc = local.get(trueIds[g]);
      const fc = local.get(falseIds[g]);
      if (tc === undefined || fc === undefined)
        throw new Error(`tree ${treeId} node ${nodeIds[g]} points at a missing node`);
      t.feature[i] = featureIds[g];
      t.threshold[i] = values[g];
      t.mode[i] = modes[g] as SplitMode;
      t.trueChild[i] = tc;
      t.falseChild[i] = fc;
      t.missingTrue[i] = missing[g] === 1 ? 1 : 0;
    });
    // the root is the node no split points at
    const pointed = new Set<number>();
    for (let i = 0; i < m; i++) if (t.trueChild[i] >= 0) pointed.add(t.trueChild[i]).add(t.falseChild[i]);
    const roots = [...Array(m).keys()].filter((i) => !pointed.has(i));
    if (roots.length !== 1) throw new Error(`tree ${treeId} has ${roots.length} roots`);
    trees.push(reroot(t, cover, roots[0], useHitrates));
  }
  return {
    trees,
    base,
    covers: useHitrates ? 'model' : 'uniform',
    aggregate,
    postTransform: attrString(node, 'post_transform', 'NONE'),
    columns,
    column,
  };
}

/** Renumbers a tree so its root is node 0 (the recursion starts there) and sets the cover fractions and depth. */
function reroot(t: ShapTree, cover: Float64Array, root: number, useHitrates: boolean): ShapTree {
  const order: number[] = [];
  const index = new Map<number, number>();
  const depthOf: number[] = [];
  const stack: Array<[number, number]> = [[root, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [i, d] = top;
    if (index.has(i)) throw new Error('a tree node is reached twice');
    index.set(i, order.length);
    order.push(i);
    depthOf.push(d);
    if (t.trueChild[i] >= 0) stack.push([t.falseChild[i], d + 1], [t.trueChild[i], d + 1]);
  }
  const m = order.length;
  const out: ShapTree = {
    feature: new Int32Array(m),
    threshold: new Float64Array(m),
    mode: new Array<SplitMode>(m),
    trueChild: new Int32Array(m).fill(-1),
    falseChild: new Int32Array(m).fill(-1),
    missingTrue: new Uint8Array(m),
    value: new Float64Array(m),
    zeroFraction: new Float64Array(m).fill(1),
    depth: Math.max(...depthOf),
  };
  order.forEach((old, i) => {
    out.feature[i] = t.feature[old];
    out.threshold[i] = t.threshold[old];
    out.mode[i] = t.mode[old];
    out.missingTrue[i] = t.missingTrue[old];
    out.value[i] = t.value[old];
    if (t.trueChild[old] >= 0) {
      const tc = index.get(t.trueChild[old]) ?? -1;
      const fc = index.get(t.falseChild[old]) ?? -1;
      out.trueChild[i] = tc;
      out.falseChild[i] = fc;
      // cover fractions from the model's hit counts, normalised over the two children; ½ each without them
      const ct = useHitrates ? cover[t.trueChild[old]] : 0;
      const cf = useHitrates ? cover[t.falseChild[old]] : 0;
      const total = ct + cf;
      out.zeroFraction[tc] = total > 0 ? ct / total : 0.5;
      out.zeroFraction[fc] = total > 0 ? cf / total : 0.5;
    }
  });
  return out;
}
