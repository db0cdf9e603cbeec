/** An inner node: rows with `x[feature] <= threshold` go to `left`, the others to `right` (indices into nodes). */
export interface TreeSplit {
  feature: number;
  /** A float32 value, so the ONNX graph (float32 thresholds) and TypeScript compare alike. */
  threshold: number;
  left: number;
  right: number;
  /** training rows that reached the node (written as the ONNX `nodes_hitrates`; TreeSHAP's cover) */
  cover?: number;
}

/** A leaf and the value it contributes. */
export interface TreeLeaf {
  value: number;
  /** training rows that reached the leaf */
  cover?: number;
}

/** A binary tree stored flat; node 0 is the root. The shape the ONNX tree-ensemble writer takes. */
export interface RegressionTree {
  nodes: Array<TreeSplit | TreeLeaf>;
}

/** True for inner nodes. */
export function isSplit(node: TreeSplit | TreeLeaf): node is TreeSplit {
  return 'feature' in node;
}

/** The leaf value a row reaches (`<=` goes left, as ONNX BRANCH_LEQ). */
export function treeValue(tree: RegressionTree, row: ArrayLike<number>): number {
  let node = tree.nodes[0];
  while (isSplit(node)) node = tree.nodes[row[node.feature] <= node.threshold ? node.left : node.right];
  return node.value;
}

/** Rounds every value to float32: what an ONNX `float` input holds, so TypeScript scores what the graph sees. */
export function toFloat32Rows(X: readonly (readonly number[])[]): Float32Array[] {
  return X.map((row) => Float32Array.from(row));
}
