import {
  applyTransform,
  followFeatureTransform,
  invertTransform,
  type FeatureTransform,
} from './feature-transform';
import { attrFloats, attrInt, attrInts, attrString, OnnxGraph, type GraphNode } from './onnx-graph';
import { permutationShapley } from './permutation';
import { readTreeEnsemble } from './tree-ensemble';
import {
  treeConditionalExpectation,
  treeExpectedValue,
  treePredict,
  treeShap,
  treeShapScratch,
} from './tree-shap';

/** What kind of model the graph was recognised as. */
export type ExplainedModelKind = 'tree-ensemble' | 'isolation-forest' | 'linear' | 'pca' | 'other';

/** How the attributions were computed. */
export type ExplainMethod = 'tree-shap' | 'linear' | 'pca-spe' | 'permutation';

/**
 * The additive space the attributions live in, and how it maps to the score: attributions sum to
 * `outputValue − baseValue`, and `score = link(outputValue)`.
 * - `logit`: score = sigmoid(output) (boosted trees, logistic regression);
 * - `log-score`: score = exp(output) (isolation forest: output = −ln 2 · mean path length / c(ψ));
 * - `spe`: score = SPE / (SPE + Q) (PCA reconstruction error);
 * - `margin`: the raw output of a tree / linear node before an exporter's post-transform (`link` names it);
 * - `score`: the score itself (identity link; approximate explanations).
 */
export type OutputSpace = 'logit' | 'log-score' | 'spe' | 'margin' | 'score';

export type ExplainLink =
  | { kind: 'identity' }
  | { kind: 'sigmoid' }
  | { kind: 'exp' }
  | { kind: 'spe-ratio'; q: number }
  | { kind: 'post-transform'; name: string };

export interface Attribution {
  /** feature name (from the model's `feature_names` metadata or the caller), else `f<index>` */
  feature: string;
  index: number;
  /** the row's value (null for NaN / missing) */
  value: number | null;
  /** the value the feature takes when "absent", where the rule has one (linear, PCA, permutation) */
  reference?: number;
  contribution: number;
}

export interface Explanation {
  method: ExplainMethod;
  approximate: boolean;
  outputSpace: OutputSpace;
  /** E[output] under the rule (no feature known) */
  baseValue: number;
  /** the explained output for this row: baseValue + Σ contributions */
  outputValue: number;
  /** ranked by |contribution|, largest first */
  attributions: Attribution[];
}

export interface ExplainerInfo {
  kind: ExplainedModelKind;
  method: ExplainMethod;
  approximate: boolean;
  outputSpace: OutputSpace;
  link: ExplainLink;
  /** tree ensembles: whether the cover counts came from the model (`nodes_hitrates`) or are uniform (½ per branch) */
  covers?: 'model' | 'uniform';
  /** which output column is explained, of how many */
  column?: { index: number; of: number };
  /** e.g. the range guard of an isolation forest, or why the graph fell back to sampling */
  notes: string[];
}

/** Scores rows with the real model (the fallback's only access to it). */
export type ScoreRows = (rows: number[][]) => Promise<number[]>;

export interface ExplainerOptions {
  /** overrides the model's `feature_names` metadata */
  featureNames?: string[];
  /** features per row when neither the graph nor the names say */
  width?: number;
  /** the output column to explain (default: the worker's score column) */
  column?: number;
  /** fallback only: the row standing in for "feature absent" (default zeros) */
  reference?: number[];
  /** fallback only: permutations sampled per row (default 32, antithetic pairs) */
  samples?: number;
  /** fallback only: PRNG seed (default 1) */
  seed?: number;
}

interface ExactCore {
  /** the rule's value with only the features `known(j)` taken from x (the brute-force checks' game) */
  coalitionValue(x: ArrayLike<number>, known: (j: number) => boolean): number;
  explain(x: ArrayLike<number>): {
    base: number;
    output: number;
    phi: Float64Array;
    reference?: ArrayLike<number>;
  };
}

/**
 * Explains one model version: recognises the graph once (cache the result per loaded version), then answers per row.
 * Exact for tree ensembles (path-dependent TreeSHAP), isolation forests (TreeSHAP over path lengths), linear models
 * and PCA (SPE); any other graph is explained by sampled permutations of the real model, marked approximate.
 */
export class Explainer {
  readonly info: ExplainerInfo;
  readonly featureNames: string[];
  private readonly core: ExactCore | null;

  private constructor(
    info: ExplainerInfo,
    featureNames: string[],
    core: ExactCore | null,
    private readonly opts: ExplainerOptions,
  ) {
    this.info = info;
    this.featureNames = featureNames;
    this.core = core;
  }

  static fromOnnx(bytes: Uint8Array, opts: ExplainerOptions = {}): Explainer {
    const g = new OnnxGraph(bytes);
    const names = featureNamesOf(g, opts);
    const recognised = names ? recognise(g, names.length, opts) : null;
    const featureNames = names ?? [];
    if (recognised && 'core' in recognised)
      return new Explainer(recognised.info, featureNames, recognised.core, opts);
    const reason = !names ? 'the feature count is unknown' : (recognised?.reason ?? 'unrecognised graph');
    return new Explainer(
      {
        kind: 'other',
        method: 'permutation',
        approximate: true,
        outputSpace: 'score',
        link: { kind: 'identity' },
        notes: [reason],
      },
      featureNames,
      null,
      opts,
    );
  }

  get exact(): boolean {
    return this.core !== null;
  }

  /** The expectation rule's value for a coalition (exact explainers only): what the brute-force checks sum over. */
  coalitionValue(x: ArrayLike<number>, known: (j: number) => boolean): number {
    if (!this.core) throw new Error('sampled explanations have no closed-form coalition value');
    return this.core.coalitionValue(x, known);
  }

  /** Exact explainers: one row, synchronously. */
  explainRow(x: ArrayLike<number>): Explanation {
    if (!this.core)
      throw new Error('this model is explained by sampling: use explainRows with a scoring function');
    this.checkWidth(x);
    const { base, output, phi, reference } = this.core.explain(x);
    return this.finish(x, base, output, phi, reference);
  }

  /** Every row; the fallback calls `score` (the real model) with batches of perturbed rows. */
  async explainRows(rows: ReadonlyArray<ArrayLike<number>>, score?: ScoreRows): Promise<Explanation[]> {
    if (this.core) return rows.map((r) => this.explainRow(r));
    if (!score) throw new Error('this model is explained by sampling: pass a scoring function');
    const out: Explanation[] = [];
    for (const row of rows) {
      const width = this.featureNames.length || this.opts.width || row.length;
      const x = Array.from(row);
      if (x.length !== width) throw new RangeError(`a row has ${x.length} values, the model takes ${width}`);
      const reference = this.opts.reference ?? new Array<number>(width).fill(0);
      if (reference.length !== width)
        throw new RangeError(`the reference row has ${reference.length} values for ${width} features`);
      const r = await permutationShapley(x, reference, score, {
        samples: this.opts.samples ?? 32,
        seed: this.opts.seed ?? 1,
      });
      out.push(this.finish(x, r.base, r.output, r.phi, reference));
    }
    return out;
  }

  private checkWidth(x: ArrayLike<number>): void {
    if (x.length !== this.featureNames.length) {
      throw new RangeError(`a row has ${x.length} values, the model takes ${this.featureNames.length}`);
    }
  }

  private finish(
    x: ArrayLike<number>,
    base: number,
    output: number,
    phi: Float64Array,
    reference?: ArrayLike<number>,
  ): Explanation {
    const names =
      this.featureNames.length === phi.length ? this.featureNames : Array.from(phi, (_, j) => `f${j}`);
    const attributions: Attribution[] = Array.from(phi, (contribution, j) => {
      const v = x[j];
      const a: Attribution = {
        feature: names[j],
        index: j,
        value: Number.isFinite(v) ? v : null,
        contribution,
      };
      const ref = reference?.[j];
      if (ref !== undefined && Number.isFinite(ref)) a.reference = ref;
      return a;
    });
    attributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.index - b.index);
    return {
      method: this.info.method,
      approximate: this.info.approximate,
      outputSpace: this.info.outputSpace,
      baseValue: base,
      outputValue: output,
      attributions,
    };
  }
}

function featureNamesOf(g: OnnxGraph, opts: ExplainerOptions): string[] | null {
  if (opts.featureNames?.length) return opts.featureNames;
  const meta = g.metadata['feature_names'];
  if (meta) {
    try {
      const parsed: unknown = JSON.parse(meta);
      if (Array.isArray(parsed) && parsed.every((n) => typeof n === 'string')) return parsed as string[];
    } catch {
      // fall through to the input's width
    }
  }
  const input = g.inputs.length === 1 ? g.inputs[0] : null;
  const width = (input?.dims.length === 2 ? input.dims[1] : null) ?? opts.width ?? null;
  return width ? Array.from({ length: width }, (_, j) => `f${j}`) : null;
}

type Recognised = { info: ExplainerInfo; core: ExactCore } | { reason: string };

function recognise(g: OnnxGraph, width: number, opts: ExplainerOptions): Recognised {
  if (g.inputs.length !== 1)
    return { reason: `${g.inputs.length} inputs: exact explainers read one feature-vector input` };
  const input = g.inputs[0];
  if (input.elemType !== 'float32' && input.elemType !== 'float64')
    return { reason: `input is ${input.elemType}` };
  const transform = followFeatureTransform(g, input.name, width);
  const consumers = g.consumersOf(transform.output);
  // an isolation forest's range guard reads the raw features beside the trees (checked when the trees are read)
  const trees = consumers.filter((c) => c.opType.startsWith('TreeEnsemble'));
  const guarded =
    consumers.length > 1 &&
    trees.length === 1 &&
    readRangeGuard(g, width) !== null &&
    transform.steps.length === 0;
  if (consumers.length !== 1 && !guarded) return { reason: 'the features feed more than one node' };
  const core = guarded ? trees[0] : consumers[0];
  try {
    switch (core.opType) {
      case 'TreeEnsembleRegressor':
      case 'TreeEnsembleClassifier':
        return treeCore(g, core, transform, width, opts);
      case 'LinearRegressor':
      case 'LinearClassifier':
      case 'MatMul':
      case 'Gemm':
        return pcaCore(g, core, transform, width) ?? linearCore(g, core, transform, width, opts);
      default:
        return { reason: `no exact explainer for ${core.opType}` };
    }
  } catch (e) {
    return { reason: e instanceof Error ? e.message : String(e) };
  }
}

/** The node reading `value`, when it is the only one. */
function only(g: OnnxGraph, value: string): GraphNode | undefined {
  const c = g.consumersOf(value);
  return c.length === 1 ? c[0] : undefined;
}

function scalarConst(g: OnnxGraph, node: GraphNode, value: string): number | null {
  if (node.inputs.length !== 2) return null;
  const other = g.constant(node.inputs[0] === value ? node.inputs[1] : node.inputs[0]);
  return other && other.values.length === 1 ? other.values[0] : null;
}

// ---------------------------------------------------------------- trees

function treeCore(
  g: OnnxGraph,
  node: GraphNode,
  transform: FeatureTransform,
  width: number,
  opts: ExplainerOptions,
): Recognised {
  const read = readTreeEnsemble(node, opts.column);
  for (const t of read.trees) {
    for (let i = 0; i < t.feature.length; i++) {
      if (t.trueChild[i] >= 0 && (t.feature[i] < 0 || t.feature[i] >= width))
        throw new Error(`a split reads feature ${t.feature[i]} of ${width}`);
    }
  }
  const notes: string[] = [];
  let kind: ExplainedModelKind = 'tree-ensemble';
  let space: OutputSpace = 'margin';
  let link: ExplainLink =
    read.postTransform === 'NONE'
      ? { kind: 'identity' }
      : { kind: 'post-transform', name: read.postTransform };
  let k = 1;
  let guard: RangeGuard | null = null;
  // what follows the trees' output (the regressor's only output; a classifier's scores are its second)
  const out = node.opType === 'TreeEnsembleRegressor' ? node.outputs[0] : node.outputs[1];
  const next = out ? only(g, out) : undefined;
  if (node.opType === 'TreeEnsembleRegressor' && read.postTransform === 'NONE' && next) {
    if (next.opType === 'Sigmoid') {
      space = 'logit';
      link = { kind: 'sigmoid' };
    } else if (next.opType === 'Mul') {
      const mulBy = scalarConst(g, next, out);
      const exp = only(g, next.outputs[0]);
      if (mulBy === null || exp?.opType !== 'Exp') return { reason: 'the trees feed an unrecognised Mul' };
      // isolation forest: score = exp(k · mean path length), k = −ln 2 / c(ψ) — explained in ln(score) = k · E[h]
      k = mulBy;
      kind = read.aggregate === 'AVERAGE' ? 'isolation-forest' : 'tree-ensemble';
      space = 'log-score';
      link = { kind: 'exp' };
      const max = only(g, exp.outputs[0]);
      if (max?.opType === 'Max') {
        guard = readRangeGuard(g, width);
        if (!guard) throw new Error('the forest score is combined with an unrecognised branch');
        notes.push(
          'range guard: score = max(forest score, g/(1+g)); when the guard wins, ln(guard/forest) is added to the feature farthest outside its training range',
        );
      }
    }
  }
  const trees = read.trees.map((t) => (k === 1 ? t : { ...t, value: t.value.map((v) => v * k) }));
  const base0 = k * read.base;
  const expected = base0 + trees.reduce((s, t) => s + treeExpectedValue(t), 0);
  notes.unshift(
    read.covers === 'model'
      ? 'covers: the model’s nodes_hitrates'
      : 'covers: uniform (½ per branch; the model has no nodes_hitrates)',
  );
  const forest = (z: ArrayLike<number>): number => base0 + trees.reduce((s, t) => s + treePredict(t, z), 0);
  const scratch = treeShapScratch(Math.max(...trees.map((t) => t.depth)));
  const core: ExactCore = {
    coalitionValue(x, known) {
      const z = applyTransform(transform, x);
      return base0 + trees.reduce((s, t) => s + treeConditionalExpectation(t, z, known), 0);
    },
    explain(x) {
      const z = applyTransform(transform, x);
      const phi = new Float64Array(width);
      for (const t of trees) treeShap(t, z, phi, scratch);
      let output = forest(z);
      if (guard) {
        const { score, feature } = guardScore(guard, z);
        const ln = Math.log(score);
        if (ln > output) {
          phi[feature] += ln - output;
          output = ln;
        }
      }
      return { base: expected, output, phi };
    },
  };
  return {
    info: {
      kind,
      method: 'tree-shap',
      approximate: false,
      outputSpace: space,
      link,
      covers: read.covers,
      column: { index: read.column, of: read.columns },
      notes,
    },
    core,
  };
}

interface RangeGuard {
  lower: Float64Array;
  upper: Float64Array;
  scale: Float64Array;
}

/** The training-range guard @loglens/onnx-format writes next to an isolation forest (initializers guard_*). */
function readRangeGuard(g: OnnxGraph, width: number): RangeGuard | null {
  const [lower, upper, scale] = ['guard_lower', 'guard_upper', 'guard_scale'].map(
    (n) => g.constant(n)?.values,
  );
  if (
    !lower ||
    !upper ||
    !scale ||
    lower.length !== width ||
    upper.length !== width ||
    scale.length !== width
  )
    return null;
  return { lower, upper, scale };
}

function guardScore(guard: RangeGuard, x: ArrayLike<number>): { score: number; feature: number } {
  let best = -Infinity;
  let feature = 0;
  for (let j = 0; j < guard.scale.length; j++) {
    const v = Math.fround(x[j]);
    const d = Math.max(v - guard.upper[j], guard.lower[j] - v) / guard.scale[j];
    if (d > best) {
      best = d;
      feature = j;
    }
  }
  const dist = Math.max(best, 0);
  return { score: dist / (1 + dist), feature };
}

// ---------------------------------------------------------------- linear

function linearCore(
  g: OnnxGraph,
  node: GraphNode,
  transform: FeatureTransform,
  width: number,
  opts: ExplainerOptions,
): Recognised {
  let weights: Float64Array[]; // one row of F weights per output column
  let intercepts: number[];
  let out: string;
  let link: ExplainLink = { kind: 'identity' };
  let columns: number;
  if (node.opType === 'LinearRegressor' || node.opType === 'LinearClassifier') {
    const coef = attrFloats(node, 'coefficients');
    const rows = coef.length / width;
    if (!Number.isInteger(rows) || rows < 1)
      throw new Error(`${coef.length} coefficients for ${width} features`);
    weights = Array.from({ length: rows }, (_, r) =>
      Float64Array.from(coef.slice(r * width, (r + 1) * width)),
    );
    intercepts = attrFloats(node, 'intercepts');
    const post = attrString(node, 'post_transform', 'NONE');
    if (post !== 'NONE') link = { kind: 'post-transform', name: post };
    out = node.opType === 'LinearClassifier' ? node.outputs[1] : node.outputs[0];
    const labels = Math.max(
      attrInts(node, 'classlabels_ints').length,
      node.attrs.get('classlabels_strings')?.strings?.length ?? 0,
    );
    columns = node.opType === 'LinearClassifier' ? Math.max(labels, rows) : rows;
  } else {
    // MatMul(x, W) or Gemm(x, B, C)
    if (node.inputs[1] === transform.output)
      throw new Error(`${node.opType} reads the features as its weights`);
    const w = g.constant(node.inputs[1]);
    if (!w) throw new Error(`${node.opType} weights are not constant`);
    const transB = node.opType === 'Gemm' && attrInt(node, 'transB', 0) === 1;
    if (node.opType === 'Gemm' && attrInt(node, 'transA', 0) === 1) throw new Error('Gemm with transA');
    const alpha = node.opType === 'Gemm' ? (node.attrs.get('alpha')?.f ?? 1) : 1;
    const [d0, d1] = w.dims.length === 1 ? [w.dims[0], 1] : [w.dims[0], w.dims[1]];
    const k = transB ? d0 : d1;
    const f = transB ? d1 : d0;
    if (f !== width) throw new Error(`${node.opType} weights are ${w.dims.join('×')} for ${width} features`);
    weights = Array.from({ length: k }, (_, c) =>
      Float64Array.from({ length: width }, (_, j) => alpha * w.values[transB ? c * width + j : j * k + c]),
    );
    intercepts = new Array<number>(k).fill(0);
    if (node.opType === 'Gemm' && node.inputs[2]) {
      const c = g.constant(node.inputs[2]);
      if (!c) throw new Error('Gemm bias is not constant');
      const beta = node.attrs.get('beta')?.f ?? 1;
      intercepts = intercepts.map((_, i) => beta * (c.values.length === 1 ? c.values[0] : c.values[i]));
    }
    out = node.outputs[0];
    // an Add (or Sub) of a constant bias right after
    const add = only(g, out);
    if (add?.opType === 'Add' || (add?.opType === 'Sub' && add.inputs[0] === out)) {
      const c = g.constant(add.inputs[0] === out ? add.inputs[1] : add.inputs[0]);
      if (c && (c.values.length === 1 || c.values.length === k)) {
        const sign = add.opType === 'Sub' ? -1 : 1;
        intercepts = intercepts.map((v, i) => v + sign * (c.values.length === 1 ? c.values[0] : c.values[i]));
        out = add.outputs[0];
      }
    }
    columns = k;
  }
  const nextOp = out ? only(g, out)?.opType : undefined;
  let space: OutputSpace = 'margin';
  if (nextOp === 'Sigmoid' && link.kind === 'identity') {
    space = 'logit';
    link = { kind: 'sigmoid' };
  }
  // a binary classifier with one coefficient row: that row is the positive column
  const column = opts.column ?? (weights.length === 1 ? 0 : columns === 2 ? 1 : 0);
  if (column >= weights.length) throw new Error(`column ${column} of ${weights.length}`);
  const w = weights[column];
  const b = intercepts[column] ?? 0;
  const refRaw = transform.centre ?? new Float64Array(width);
  const refZ = applyTransform(transform, refRaw);
  const marginOf = (z: ArrayLike<number>): number => w.reduce((s, wj, j) => s + wj * z[j], b);
  const base = marginOf(refZ);
  const core: ExactCore = {
    coalitionValue(x, known) {
      const z = applyTransform(transform, x);
      return w.reduce((s, wj, j) => s + wj * (known(j) ? z[j] : refZ[j]), b);
    },
    explain(x) {
      const z = applyTransform(transform, x);
      const phi = Float64Array.from(w, (wj, j) => wj * (z[j] - refZ[j]));
      return { base, output: marginOf(z), phi, reference: refRaw };
    },
  };
  return {
    info: {
      kind: 'linear',
      method: 'linear',
      approximate: false,
      outputSpace: space,
      link,
      column: { index: column, of: Math.max(columns, weights.length) },
      notes: [
        transform.centre
          ? 'reference: the scaler’s centre (the training mean)'
          : 'reference: all-zero features',
      ],
    },
    core,
  };
}

// ---------------------------------------------------------------- PCA

/** MatMul(z, R) → Mul(r, r) | Pow(r, 2) → ReduceSum over features: SPE = z·(R Rᵀ)·zᵀ. */
function pcaCore(
  g: OnnxGraph,
  node: GraphNode,
  transform: FeatureTransform,
  width: number,
): Recognised | null {
  if (node.opType !== 'MatMul' || node.inputs[0] !== transform.output) return null;
  const r = g.constant(node.inputs[1]);
  if (!r || r.dims.length !== 2 || r.dims[0] !== width) return null;
  const k = r.dims[1];
  const sq = only(g, node.outputs[0]);
  if (!sq) return null;
  const squares =
    (sq.opType === 'Mul' && sq.inputs[0] === node.outputs[0] && sq.inputs[1] === node.outputs[0]) ||
    (sq.opType === 'Pow' && g.constant(sq.inputs[1])?.values[0] === 2);
  if (!squares) return null;
  const sum = only(g, sq.outputs[0]);
  if (sum?.opType !== 'ReduceSum') return null;
  // M = R·Rᵀ (F × F)
  const m = new Float64Array(width * width);
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < width; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += r.values[i * k + c] * r.values[j * k + c];
      m[i * width + j] = s;
    }
  }
  // SPE / (SPE + Q) after
  let link: ExplainLink = { kind: 'identity' };
  const add = only(g, sum.outputs[0]);
  const consumers = g.consumersOf(sum.outputs[0]);
  if (consumers.length === 2 && add === undefined) {
    const plus = consumers.find((c) => c.opType === 'Add');
    const q = plus ? scalarConst(g, plus, sum.outputs[0]) : null;
    const div = consumers.find(
      (c) => c.opType === 'Div' && c.inputs[0] === sum.outputs[0] && plus && c.inputs[1] === plus.outputs[0],
    );
    if (q !== null && div) link = { kind: 'spe-ratio', q };
  }
  const zRef = new Float64Array(width);
  const reference = invertTransform(transform, zRef);
  const speOf = (z: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < width; i++) for (let j = 0; j < width; j++) s += z[i] * m[i * width + j] * z[j];
    return s;
  };
  const core: ExactCore = {
    coalitionValue(x, known) {
      const z = applyTransform(transform, x).map((v, j) => (known(j) ? v : 0));
      return speOf(z);
    },
    explain(x) {
      const z = applyTransform(transform, x);
      // Shapley values of a quadratic form with the reference at z = 0: φ_i = z_i · (M z)_i
      const phi = new Float64Array(width);
      for (let i = 0; i < width; i++) {
        let s = 0;
        for (let j = 0; j < width; j++) s += m[i * width + j] * z[j];
        phi[i] = z[i] * s;
      }
      return { base: 0, output: speOf(z), phi, reference };
    },
  };
  return {
    info: {
      kind: 'pca',
      method: 'pca-spe',
      approximate: false,
      outputSpace: 'spe',
      link,
      notes: ['reference: the training mean (standardised value 0); SPE is 0 there'],
    },
    core,
  };
}

/** Applies an explanation's link: the score its outputValue stands for (null when the link is not invertible alone). */
export function scoreFromOutput(link: ExplainLink, output: number): number | null {
  switch (link.kind) {
    case 'identity':
      return output;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-output));
    case 'exp':
      return Math.exp(output);
    case 'spe-ratio':
      return output / (output + link.q);
    default:
      return link.name === 'LOGISTIC' ? 1 / (1 + Math.exp(-output)) : null;
  }
}
