export * from './lib/explainer';
export * from './lib/brute-force';
export { permutationShapley } from './lib/permutation';
export { treeShap, treeConditionalExpectation, treeExpectedValue, type ShapTree } from './lib/tree-shap';
