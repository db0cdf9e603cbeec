import { attrFloats, attrInt, type GraphNode, type OnnxGraph } from './onnx-graph';

/** One element-wise step of a per-feature transform; constants hold one value per feature (broadcast). */
export type TransformStep =
  | { op: 'add'; c: Float64Array; centring?: boolean }
  | { op: 'mul'; c: Float64Array }
  | { op: 'rsub' | 'rdiv'; c: Float64Array }
  | { op: 'div'; c: Float64Array }
  | { op: 'scaler'; offset: Float64Array; scale: Float64Array }
  | { op: 'log' | 'exp' | 'abs' | 'neg' | 'sqrt' | 'float32' }
  | { op: 'greater' | 'less' | 'greaterOrEqual' | 'lessOrEqual'; c: Float64Array };

/**
 * An element-wise function per feature between the graph input and the model's core node (a scaler, a Log(x + 1),
 * a presence test …): each output column depends on its own input column only, so attributions to the transformed
 * columns are attributions to the raw features.
 */
export interface FeatureTransform {
  steps: TransformStep[];
  /** true when every step is affine (add/sub/mul/div by constants) */
  affine: boolean;
  /** the value the first centring step subtracts (a scaler's mean) — the natural reference point — or null */
  centre: Float64Array | null;
  /** the value at the end of the chain */
  output: string;
}

const UNARY: Record<string, TransformStep['op']> = {
  Log: 'log',
  Exp: 'exp',
  Abs: 'abs',
  Neg: 'neg',
  Sqrt: 'sqrt',
};
const COMPARE: Record<string, TransformStep['op']> = {
  Greater: 'greater',
  Less: 'less',
  GreaterOrEqual: 'greaterOrEqual',
  LessOrEqual: 'lessOrEqual',
};

/** Follows single-consumer element-wise nodes from `input` while they stay per-feature. */
export function followFeatureTransform(g: OnnxGraph, input: string, width: number): FeatureTransform {
  const steps: TransformStep[] = [];
  let affine = true;
  let centre: Float64Array | null = null;
  let value = input;
  // the affine map of the steps so far, y = a·x + b, to find where a centring step's output is 0
  const a = new Float64Array(width).fill(1);
  const b = new Float64Array(width);
  for (;;) {
    const next = g.consumersOf(value);
    if (next.length !== 1) break;
    const node = next[0];
    const step = stepOf(g, node, value, width);
    if (!step) break;
    steps.push(step);
    if (affine && centre === null && ((step.op === 'add' && step.centring) || step.op === 'scaler')) {
      // a Sub of a constant (add: a·x + b + c = 0) or a Scaler (a·x + b − offset = 0)
      centre = Float64Array.from(a, (ai, j) => {
        const target = step.op === 'add' ? -step.c[j] : step.offset[j];
        return (target - b[j]) / ai;
      });
    }
    switch (step.op) {
      case 'add':
        step.c.forEach((c, j) => (b[j] += c));
        break;
      case 'mul':
      case 'div':
        step.c.forEach((c, j) => {
          const k = step.op === 'mul' ? c : 1 / c;
          a[j] *= k;
          b[j] *= k;
        });
        break;
      case 'rsub':
        step.c.forEach((c, j) => {
          a[j] = -a[j];
          b[j] = c - b[j];
        });
        break;
      case 'scaler':
        step.offset.forEach((o, j) => {
          a[j] *= step.scale[j];
          b[j] = (b[j] - o) * step.scale[j];
        });
        break;
      case 'float32':
        break;
      default:
        affine = false;
    }
    value = node.outputs[0];
  }
  return { steps, affine, centre, output: value };
}

function stepOf(g: OnnxGraph, node: GraphNode, value: string, width: number): TransformStep | null {
  if (node.domain !== '' && node.domain !== 'ai.onnx' && node.domain !== 'ai.onnx.ml') return null;
  const constOther = (): { c: Float64Array; first: boolean } | null => {
    if (node.inputs.length !== 2) return null;
    const first = node.inputs[0] === value;
    const other = g.constant(first ? node.inputs[1] : node.inputs[0]);
    if (!other || (other.values.length !== 1 && other.values.length !== width)) return null;
    // [F] or [1, F] or scalar only
    if (other.dims.length > 2 || (other.dims.length === 2 && other.dims[0] !== 1)) return null;
    const c =
      other.values.length === 1
        ? new Float64Array(width).fill(other.values[0])
        : Float64Array.from(other.values);
    return { c, first };
  };
  switch (node.opType) {
    case 'Identity':
      return { op: 'mul', c: new Float64Array(width).fill(1) };
    case 'Cast':
      // to FLOAT (1) or DOUBLE (11) keeps the values (float32 rounding aside)
      if (attrInt(node, 'to', 0) === 1) return { op: 'float32' };
      if (attrInt(node, 'to', 0) === 11) return { op: 'mul', c: new Float64Array(width).fill(1) };
      return null;
    case 'Add':
    case 'Mul': {
      const o = constOther();
      return o ? { op: node.opType === 'Add' ? 'add' : 'mul', c: o.c } : null;
    }
    case 'Sub': {
      const o = constOther();
      if (!o) return null;
      return o.first ? { op: 'add', c: o.c.map((v) => -v), centring: true } : { op: 'rsub', c: o.c };
    }
    case 'Div': {
      const o = constOther();
      if (!o) return null;
      return o.first ? { op: 'div', c: o.c } : { op: 'rdiv', c: o.c };
    }
    case 'Scaler': {
      // ai.onnx.ml Scaler: (x − offset) · scale
      const offset = attrFloats(node, 'offset');
      const scale = attrFloats(node, 'scale');
      const widen = (v: number[]): Float64Array | null =>
        v.length === width
          ? Float64Array.from(v)
          : v.length === 1
            ? new Float64Array(width).fill(v[0])
            : null;
      const off = widen(offset.length ? offset : [0]);
      const sc = widen(scale.length ? scale : [1]);
      if (!off || !sc) return null;
      return { op: 'scaler', offset: off, scale: sc };
    }
    default: {
      if (UNARY[node.opType] && node.inputs.length === 1) return { op: UNARY[node.opType] } as TransformStep;
      const cmp = COMPARE[node.opType];
      if (cmp) {
        const o = constOther();
        if (!o || !o.first) return null;
        // a comparison makes booleans: only a Cast to float right after keeps it numeric
        const cast = g.consumersOf(node.outputs[0]);
        if (cast.length !== 1 || cast[0].opType !== 'Cast') return null;
        return { op: cmp, c: o.c } as TransformStep;
      }
      return null;
    }
  }
}

/** Applies the transform to one row (float64 arithmetic, float32 where the graph casts). */
export function applyTransform(t: FeatureTransform, x: ArrayLike<number>): Float64Array {
  const y = Float64Array.from(x as ArrayLike<number>, Math.fround);
  for (const s of t.steps) {
    for (let j = 0; j < y.length; j++) y[j] = applyStep(s, y[j], j);
  }
  return y;
}

function applyStep(s: TransformStep, v: number, j: number): number {
  switch (s.op) {
    case 'add':
      return v + s.c[j];
    case 'scaler':
      return (v - s.offset[j]) * s.scale[j];
    case 'mul':
      return v * s.c[j];
    case 'div':
      return v / s.c[j];
    case 'rsub':
      return s.c[j] - v;
    case 'rdiv':
      return s.c[j] / v;
    case 'log':
      return Math.log(v);
    case 'exp':
      return Math.exp(v);
    case 'abs':
      return Math.abs(v);
    case 'neg':
      return -v;
    case 'sqrt':
      return Math.sqrt(v);
    case 'float32':
      return Math.fround(v);
    case 'greater':
      return v > s.c[j] ? 1 : 0;
    case 'less':
      return v < s.c[j] ? 1 : 0;
    case 'greaterOrEqual':
      return v >= s.c[j] ? 1 : 0;
    case 'lessOrEqual':
      return v <= s.c[j] ? 1 : 0;
  }
}

/** The raw value whose transform is `y`, per feature (NaN where a step cannot be inverted, e.g. a presence test). */
export function invertTransform(t: FeatureTransform, y: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(y);
  for (let k = t.steps.length - 1; k >= 0; k--) {
    const s = t.steps[k];
    for (let j = 0; j < x.length; j++) {
      const v = x[j];
      switch (s.op) {
        case 'add':
          x[j] = v - s.c[j];
          break;
        case 'mul':
          x[j] = v / s.c[j];
          break;
        case 'div':
          x[j] = v * s.c[j];
          break;
        case 'rsub':
          x[j] = s.c[j] - v;
          break;
        case 'rdiv':
          x[j] = s.c[j] / v;
          break;
        case 'scaler':
          x[j] = v / s.scale[j] + s.offset[j];
          break;
        case 'log':
          x[j] = Math.exp(v);
          break;
        case 'exp':
          x[j] = Math.log(v);
          break;
        case 'neg':
          x[j] = -v;
          break;
        case 'sqrt':
          x[j] = v * v;
          break;
        case 'float32':
          break;
        default:
          x[j] = NaN;
      }
    }
  }
  return x;
}
