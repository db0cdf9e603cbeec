/** How a split compares `x[feature]` with its threshold (the ONNX `nodes_modes`); true → the true branch. */
export type SplitMode = 'BRANCH_LEQ' | 'BRANCH_LT' | 'BRANCH_GTE' | 'BRANCH_GT' | 'BRANCH_EQ' | 'BRANCH_NEQ';

/**
 * One tree, flat: node i is a split when `trueChild[i] >= 0`, otherwise a leaf holding `value[i]` (already weighted
 * for the explained output). `zeroFraction[c]` is the share of the parent's cover that reaches child c — the
 * path-dependent rule's weight for "feature unknown": the model's own cover counts, or ½ each way (uniform).
 */
export interface ShapTree {
  feature: Int32Array;
  threshold: Float64Array;
  mode: SplitMode[];
  trueChild: Int32Array;
  falseChild: Int32Array;
  /** NaN goes to the true branch (`nodes_missing_value_tracks_true`) */
  missingTrue: Uint8Array;
  value: Float64Array;
  zeroFraction: Float64Array;
  /** longest root-to-leaf path, for buffer sizing */
  depth: number;
}

/** Which branch a value takes at split `i` (as onnxruntime: a NaN compares false unless it tracks true). */
export function goesTrue(tree: ShapTree, i: number, v: number): boolean {
  if (Number.isNaN(v)) return tree.missingTrue[i] === 1;
  const t = tree.threshold[i];
  switch (tree.mode[i]) {
    case 'BRANCH_LEQ':
      return v <= t;
    case 'BRANCH_LT':
      return v < t;
    case 'BRANCH_GTE':
      return v >= t;
    case 'BRANCH_GT':
      return v > t;
    case 'BRANCH_EQ':
      return v === t;
    case 'BRANCH_NEQ':
      return v !== t;
  }
}

/** The leaf value x reaches. */
export function treePredict(tree: ShapTree, x: ArrayLike<number>): number {
  let i = 0;
  while (tree.trueChild[i] >= 0)
    i = goesTrue(tree, i, x[tree.feature[i]]) ? tree.trueChild[i] : tree.falseChild[i];
  return tree.value[i];
}

/** E[f(x)] under the path-dependent rule with no feature known: the cover-weighted mean of the leaves. */
export function treeExpectedValue(tree: ShapTree): number {
  return treeConditionalExpectation(tree, [], () => false);
}

/**
 * The path-dependent rule's E[f(x) | x_S]: at a split on a feature in S follow x, otherwise average both children
 * by their cover fractions. Exported for the brute-force checks (2^n coalitions).
 */
export function treeConditionalExpectation(
  tree: ShapTree,
  x: ArrayLike<number>,
  known: (feature: number) => boolean,
): number {
  const walk = (i: number): number => {
    if (tree.trueChild[i] < 0) return tree.value[i];
    const f = tree.feature[i];
    if (known(f)) return walk(goesTrue(tree, i, x[f]) ? tree.trueChild[i] : tree.falseChild[i]);
    const t = tree.trueChild[i];
    const e = tree.falseChild[i];
    return tree.zeroFraction[t] * walk(t) + tree.zeroFraction[e] * walk(e);
  };
  return walk(0);
}

/**
 * Path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2; the recursion of shap's tree_shap.h): adds the
 * tree's exact Shapley values for x to `phi`. O(L·D²) per tree.
 */
export function treeShap(tree: ShapTree, x: ArrayLike<number>, phi: Float64Array, scratch?: TreeShapScratch): void {
  const buf = scratch && scratch.feat.length >= scratchSize(tree.depth) ? scratch : treeShapScratch(tree.depth);
  recurse(tree, x, phi, 0, 0, -1, 1, 1, -1, buf.feat, buf.zero, buf.one, buf.pw);
}

/** Path buffers for trees up to a depth: one per recursion level, as in the C implementation. Reusable across calls. */
export interface TreeShapScratch {
  feat: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  pw: Float64Array;
}

function scratchSize(depth: number): number {
  const maxPath = depth + 2;
  return ((maxPath + 1) * (maxPath + 2)) / 2;
}

export function treeShapScratch(depth: number): TreeShapScratch {
  const size = scratchSize(depth);
  return { feat: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), pw: new Float64Array(size) };
}

function recurse(
  tree: ShapTree,
  x: ArrayLike<number>,
  phi: Float64Array,
  node: number,
  depth: number,
  /** where the parent's path starts; -1 at the root */
  parentOffset: number,
  pz: number,
  po: number,
  pi: number,
  feat: Int32Array,
  zero: Float64Array,
  one: Float64Array,
  pw: Float64Array,
): void {
  // the path of this level starts after the parent's (which holds `depth` elements)
  const at = parentOffset < 0 ? 0 : parentOffset + depth + 1;
  if (parentOffset >= 0) {
    for (let k = 0; k < depth; k++) {
      feat[at + k] = feat[parentOffset + k];
      zero[at + k] = zero[parentOffset + k];
      one[at + k] = one[parentOffset + k];
      pw[at + k] = pw[parentOffset + k];
    }
  }
  // extend
  let uniqueDepth = depth;
  feat[at + uniqueDepth] = pi;
  zero[at + uniqueDepth] = pz;
  one[at + uniqueDepth] = po;
  pw[at + uniqueDepth] = uniqueDepth === 0 ? 1 : 0;
  for (let i = uniqueDepth - 1; i >= 0; i--) {
    pw[at + i + 1] += (po * pw[at + i] * (i + 1)) / (uniqueDepth + 1);
    pw[at + i] = (pz * pw[at + i] * (uniqueDepth - i)) / (uniqueDepth + 1);
  }

  if (tree.trueChild[node] < 0) {
    const v = tree.value[node];
    for (let i = 1; i <= uniqueDepth; i++) {
      const w = unwoundPathSum(zero, one, pw, at, uniqueDepth, i);
      phi[feat[at + i]] += w * (one[at + i] - zero[at + i]) * v;
    }
    return;
  }
  const f = tree.feature[node];
  const hot = goesTrue(tree, node, x[f]) ? tree.trueChild[node] : tree.falseChild[node];
  const cold = hot === tree.trueChild[node] ? tree.falseChild[node] : tree.trueChild[node];
  let iz = 1;
  let io = 1;
  let k = 0;
  for (; k <= uniqueDepth; k++) if (feat[at + k] === f) break;
  if (k !== uniqueDepth + 1) {
    iz = zero[at + k];
    io = one[at + k];
    unwindPath(feat, zero, one, pw, at, uniqueDepth, k);
    uniqueDepth -= 1;
  }
  recurse(tree, x, phi, hot, uniqueDepth + 1, at, tree.zeroFraction[hot] * iz, io, f, feat, zero, one, pw);
  // a cold branch nothing reaches (zero cover) adds nothing, and its path weights would divide by zero
  if (tree.zeroFraction[cold] * iz === 0) return;
  recurse(tree, x, phi, cold, uniqueDepth + 1, at, tree.zeroFraction[cold] * iz, 0, f, feat, zero, one, pw);
}

function unwindPath(
  feat: Int32Array,
  zero: Float64Array,
  one: Float64Array,
  pw: Float64Array,
  at: number,
  d: number,
  k: number,
): void {
  const o = one[at + k];
  const z = zero[at + k];
  let next = pw[at + d];
  for (let i = d - 1; i >= 0; i--) {
    if (o !== 0) {
      const tmp = pw[at + i];
      pw[at + i] = (next * (d + 1)) / ((i + 1) * o);
      next = tmp - (pw[at + i] * z * (d - i)) / (d + 1);
    } else {
      pw[at + i] = (pw[at + i] * (d + 1)) / (z * (d - i));
    }
  }
  for (let i = k; i < d; i++) {
    feat[at + i] = feat[at + i + 1];
    zero[at + i] = zero[at + i + 1];
    one[at + i] = one[at + i + 1];
  }
}

function unwoundPathSum(
  zero: Float64Array,
  one: Float64Array,
  pw: Float64Array,
  at: number,
  d: number,
  k: number,
): number {
  const o = one[at + k];
  const z = zero[at + k];
  let next = pw[at + d];
  let total = 0;
  for (let i = d - 1; i >= 0; i--) {
    if (o !== 0) {
      const tmp = (next * (d + 1)) / ((i + 1) * o);
      total += tmp;
      next = pw[at + i] - tmp * z * ((d - i) / (d + 1));
    } else if (z !== 0) {
      total += pw[at + i] / z / ((d - i) / (d + 1));
    }
  }
  return total;
}
