import { onnx } from 'onnx-proto';
import { OnnxFormatError } from './onnx-format-error';
import { OnnxDim, OnnxElemType, elemTypeFromCode, int64ToNumber } from './onnx-types';

export interface OnnxValueInfo {
  name: string;
  kind: 'tensor' | 'sequence' | 'map' | 'other';
  /** Element type of a tensor (or sparse tensor); null for sequences, maps and optionals. */
  elemType: OnnxElemType | null;
  /** Symbolic dims as strings, unspecified dims as null; a null shape means the rank itself is unknown. */
  shape: OnnxDim[] | null;
  description?: string;
}

export interface OnnxInspection {
  irVersion: number;
  opsets: Array<{ domain: string; version: number }>;
  producerName: string;
  producerVersion: string;
  graphName: string;
  /** Graph inputs that are not initializers: what a caller has to feed. */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodeCount: number;
  /** Distinct op types of the top-level graph, sorted. */
  opTypes: string[];
  /** Every tensor (initializer, attribute, subgraph or function) whose data lives outside the file. */
  externalData: Array<{ tensor: string; location: string }>;
  /** Node domains other than the standard ones, including nodes in subgraphs and model-local functions. */
  customDomains: string[];
  metadataProps: Record<string, string>;
}

// '' and 'ai.onnx' are the same default domain; everything else needs a custom-op library to run.
const STANDARD_DOMAINS: ReadonlySet<string> = new Set(['', 'ai.onnx', 'ai.onnx.ml']);

/** Decodes ONNX model bytes and summarises signature, opsets, ops, external data and custom domains. */
export function inspectOnnx(bytes: Uint8Array): OnnxInspection {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) {
    throw new OnnxFormatError(`not an ONNX model: the ${bytes.length}-byte payload decodes but has no graph`);
  }

  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  for (const sparse of graph.sparseInitializer ?? []) initializerNames.add(sparse.values?.name ?? '');

  const walk = new ModelWalk();
  walk.graph(graph, graph.name ?? '');
  for (const fn of model.functions ?? []) walk.nodes(fn.node ?? [], `function ${fn.name ?? ''}`);

  return {
    irVersion: int64ToNumber(model.irVersion),
    opsets: (model.opsetImport ?? []).map((o) => ({
      domain: o.domain ?? '',
      version: int64ToNumber(o.version),
    })),
    producerName: model.producerName ?? '',
    producerVersion: model.producerVersion ?? '',
    graphName: graph.name ?? '',
    inputs: (graph.input ?? []).filter((v) => !initializerNames.has(v.name ?? '')).map(toValueInfo),
    outputs: (graph.output ?? []).map(toValueInfo),
    nodeCount: (graph.node ?? []).length,
    opTypes: [...new Set((graph.node ?? []).map((n) => n.opType ?? ''))].sort(),
    externalData: walk.externalData,
    customDomains: [...walk.customDomains].sort(),
    metadataProps: Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}

function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new OnnxFormatError(`not an ONNX model: protobuf decoding failed (${reason})`, { cause: err });
  }
}

function toValueInfo(v: onnx.IValueInfoProto): OnnxValueInfo {
  const info: OnnxValueInfo = { name: v.name ?? '', kind: 'other', elemType: null, shape: null };
  const type = v.type;
  if (type?.tensorType) {
    info.kind = 'tensor';
    info.elemType = elemTypeFromCode(type.tensorType.elemType);
    info.shape = toShape(type.tensorType.shape);
  } else if (type?.sequenceType) {
    info.kind = 'sequence';
  } else if (type?.mapType) {
    info.kind = 'map';
  } else if (type?.sparseTensorType) {
    info.elemType = elemTypeFromCode(type.sparseTensorType.elemType);
    info.shape = toShape(type.sparseTensorType.shape);
  }
  if (v.docString) info.description = v.docString;
  return info;
}

function toShape(shape: onnx.ITensorShapeProto | null | undefined): OnnxDim[] | null {
  if (!shape) return null;
  return (shape.dim ?? []).map((d) => {
    if (d.dimParam) return d.dimParam;
    if (d.dimValue != null) return int64ToNumber(d.dimValue);
    return null;
  });
}

/** Collects external-data tensors and custom domains over a graph, its subgraphs and model-local functions. */
class ModelWalk {
  readonly externalData: Array<{ tensor: string; location: string }> = [];
  readonly customDomains = new Set<string>();

  graph(graph: onnx.IGraphProto, where: string): void {
    for (const t of graph.initializer ?? []) this.tensor(t, t.name || where);
    for (const s of graph.sparseInitializer ?? []) this.sparse(s, where);
    this.nodes(graph.node ?? [], where);
  }

  nodes(nodes: onnx.INodeProto[], where: string): void {
    for (const node of nodes) {
      const domain = node.domain ?? '';
      if (!STANDARD_DOMAINS.has(domain)) this.customDomains.add(domain);
      const nodeName = node.name || `${where}/${node.opType ?? ''}`;
      for (const a of node.attribute ?? []) {
        const at = `${nodeName}.${a.name ?? ''}`;
        if (a.t) this.tensor(a.t, a.t.name || at);
        for (const t of a.tensors ?? []) this.tensor(t, t.name || at);
        if (a.sparseTensor) this.sparse(a.sparseTensor, at);
        for (const s of a.sparseTensors ?? []) this.sparse(s, at);
        if (a.g) this.graph(a.g, a.g.name || at);
        for (const g of a.graphs ?? []) this.graph(g, g.name || at);
      }
    }
  }

  private sparse(s: onnx.ISparseTensorProto, where: string): void {
    if (s.values) this.tensor(s.values, s.values.name || where);
    if (s.indices) this.tensor(s.indices, s.indices.name || `${where}.indices`);
  }

  private tensor(t: onnx.ITensorProto, name: string): void {
    if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) return;
    const location = (t.externalData ?? []).find((e) => e.key === 'location')?.value ?? '';
    this.externalData.push({ tensor: name, location });
  }
}
