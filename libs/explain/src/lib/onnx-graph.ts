import { onnx } from 'onnx-proto';
import { OnnxFormatError, elemTypeFromCode, int64ToNumber } from '@loglens/onnx-format';

/** One node of the top-level graph with its attributes decoded to plain values. */
export interface GraphNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, onnx.IAttributeProto>;
}

/** A constant tensor (initializer or Constant node) as float64 values. */
export interface ConstTensor {
  dims: number[];
  values: Float64Array;
}

/**
 * The top-level graph of an ONNX model indexed for pattern matching: which node writes a value, which nodes read it,
 * and the numeric constants. Only what the explainers read is decoded.
 */
export class OnnxGraph {
  readonly nodes: GraphNode[];
  readonly inputs: Array<{ name: string; elemType: string; dims: Array<number | null> }>;
  readonly outputs: string[];
  readonly metadata: Record<string, string>;
  private readonly producer = new Map<string, GraphNode>();
  private readonly consumers = new Map<string, GraphNode[]>();
  private readonly constants = new Map<string, ConstTensor>();

  constructor(bytes: Uint8Array) {
    let model: onnx.ModelProto;
    try {
      model = onnx.ModelProto.decode(bytes);
    } catch (e) {
      throw new OnnxFormatError(`not an ONNX model: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
    const graph = model.graph;
    if (!graph) throw new OnnxFormatError('not an ONNX model: no graph');
    this.metadata = Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));
    for (const t of graph.initializer ?? []) {
      const c = readTensor(t);
      if (c) this.constants.set(t.name ?? '', c);
    }
    this.nodes = (graph.node ?? []).map((n) => ({
      opType: n.opType ?? '',
      domain: n.domain ?? '',
      name: n.name ?? '',
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attrs: new Map((n.attribute ?? []).map((a) => [a.name ?? '', a])),
    }));
    for (const node of this.nodes) {
      const value = node.opType === 'Constant' ? node.attrs.get('value')?.t : undefined;
      if (value) {
        const c = readTensor(value);
        if (c) this.constants.set(node.outputs[0], c);
      }
      for (const o of node.outputs) this.producer.set(o, node);
      for (const i of new Set(node.inputs)) {
        if (!i) continue;
        const list = this.consumers.get(i) ?? [];
        list.push(node);
        this.consumers.set(i, list);
      }
    }
    const initNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
    this.inputs = (graph.input ?? [])
      .filter((v) => !initNames.has(v.name ?? ''))
      .map((v) => ({
        name: v.name ?? '',
        elemType: v.type?.tensorType ? elemTypeFromCode(v.type.tensorType.elemType) : 'other',
        dims: (v.type?.tensorType?.shape?.dim ?? []).map((d) =>
          d.dimValue != null && !d.dimParam ? int64ToNumber(d.dimValue) : null,
        ),
      }));
    this.outputs = (graph.output ?? []).map((v) => v.name ?? '');
  }

  producerOf(value: string): GraphNode | undefined {
    return this.producer.get(value);
  }

  consumersOf(value: string): GraphNode[] {
    return this.consumers.get(value) ?? [];
  }

  constant(value: string): ConstTensor | undefined {
    return this.constants.get(value);
  }
}

function readTensor(t: onnx.ITensorProto): ConstTensor | null {
  const type = elemTypeFromCode(t.dataType);
  const dims = (t.dims ?? []).map((d) => int64ToNumber(d as number));
  const count = dims.reduce((n, d) => n * d, 1);
  let values: number[] | null = null;
  if (t.rawData && t.rawData.length > 0) {
    const bytes = Uint8Array.from(t.rawData);
    const view = new DataView(bytes.buffer);
    const size: Record<string, number> = {
      float32: 4,
      float64: 8,
      int32: 4,
      int64: 8,
      uint8: 1,
      int8: 1,
      bool: 1,
    };
    const width = size[type];
    if (!width) return null;
    values = Array.from({ length: count }, (_, i) => {
      const at = i * width;
      switch (type) {
        case 'float32':
          return view.getFloat32(at, true);
        case 'float64':
          return view.getFloat64(at, true);
        case 'int32':
          return view.getInt32(at, true);
        case 'int64':
          return Number(view.getBigInt64(at, true));
        case 'int8':
          return view.getInt8(at);
        default:
          return view.getUint8(at);
      }
    });
  } else if (t.floatData?.length) values = [...t.floatData];
  else if (t.doubleData?.length) values = [...t.doubleData];
  else if (t.int64Data?.length) values = t.int64Data.map((v) => int64ToNumber(v as number));
  else if (t.int32Data?.length) values = [...t.int32Data];
  if (values === null || values.length !== count)
    return count === 0 ? { dims, values: new Float64Array(0) } : null;
  return { dims, values: Float64Array.from(values) };
}

// ---- attribute readers ----

export function attrInt(node: GraphNode, name: string, fallback: number): number {
  const a = node.attrs.get(name);
  return a?.i != null ? int64ToNumber(a.i as number) : fallback;
}

export function attrString(node: GraphNode, name: string, fallback: string): string {
  const a = node.attrs.get(name);
  return a?.s && a.s.length ? Buffer.from(a.s).toString('utf8') : fallback;
}

export function attrInts(node: GraphNode, name: string): number[] {
  const a = node.attrs.get(name);
  return (a?.ints ?? []).map((v) => int64ToNumber(v as number));
}

export function attrStrings(node: GraphNode, name: string): string[] {
  const a = node.attrs.get(name);
  return (a?.strings ?? []).map((b) => Buffer.from(b).toString('utf8'));
}

/** A float list attribute, or its `_as_tensor` twin (ai.onnx.ml 3 lets exporters write doubles that way). */
export function attrFloats(node: GraphNode, name: string): number[] {
  const a = node.attrs.get(name);
  if (a?.floats && a.floats.length) return [...a.floats];
  const t = node.attrs.get(`${name}_as_tensor`)?.t;
  if (t) return [...(readTensor(t)?.values ?? [])];
  return [];
}
