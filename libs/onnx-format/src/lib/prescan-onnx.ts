/**
 * A bounded look at ONNX bytes before anything decodes them: one pass over the protobuf wire format that counts and
 * measures without building objects (decoding allocates ~76 bytes of heap per file byte, so an 8 MB file of 4M empty
 * nodes cost 750 MB). It stops at the first limit crossed.
 */

export interface OnnxLimits {
  /** the whole file */
  maxBytes: number;
  /** nodes in every graph, subgraph and model-local function together */
  maxNodes: number;
  /** graphs inside graphs (If / Loop / Scan bodies); the main graph is depth 1 */
  maxGraphDepth: number;
  /** tensor data held in the file (initializers and tensor attributes) */
  maxInitializerBytes: number;
  /** elements any one tensor or declared shape may have (product of its fixed dims) */
  maxTensorElements: number;
}

/**
 * Defaults that pass every model the project builds (the HDFS / WiFi / per-source models: a few hundred nodes at
 * most, one graph level, well under 1 MiB of weights) and the bundled third-party specs, with wide margins.
 */
export const DEFAULT_ONNX_LIMITS: Readonly<OnnxLimits> = {
  maxBytes: 64 * 2 ** 20,
  maxNodes: 100_000,
  maxGraphDepth: 8,
  maxInitializerBytes: 64 * 2 ** 20,
  maxTensorElements: 16 * 2 ** 20,
};

export type OnnxLimitName = keyof OnnxLimits | 'protobuf';

export interface OnnxPrescan {
  bytes: number;
  nodes: number;
  graphDepth: number;
  initializerBytes: number;
  /** the largest element count seen in a tensor or declared shape */
  largestTensorElements: number;
}

export type OnnxPrescanResult = { ok: true; stats: OnnxPrescan } | { ok: false; limit: OnnxLimitName; message: string; stats: OnnxPrescan };

// message kinds the scan descends into (everything else is skipped by its length)
enum K {
  Model,
  Graph,
  Node,
  Attribute,
  Tensor,
  Sparse,
  ValueInfo,
  Type,
  TensorType,
  Wrapper,
  MapType,
  Shape,
  Dim,
  Function,
  Training,
}

/** Child message kinds by parent kind and field number (field numbers from onnx.proto3). */
function childKind(parent: K, field: number): K | -1 {
  switch (parent) {
    case K.Model:
      return field === 7 ? K.Graph : field === 25 ? K.Function : field === 20 ? K.Training : -1;
    case K.Graph:
      return field === 1 ? K.Node : field === 5 ? K.Tensor : field === 15 ? K.Sparse : field === 11 || field === 12 || field === 13 ? K.ValueInfo : -1;
    case K.Node:
      return field === 5 ? K.Attribute : -1;
    case K.Attribute:
      return field === 5 || field === 10 ? K.Tensor : field === 6 || field === 11 ? K.Graph : field === 22 || field === 23 ? K.Sparse : field === 14 ? K.Type : -1;
    case K.Sparse:
      return field === 1 || field === 2 ? K.Tensor : -1;
    case K.ValueInfo:
      return field === 2 ? K.Type : -1;
    case K.Type:
      return field === 1 || field === 8 ? K.TensorType : field === 4 || field === 9 ? K.Wrapper : field === 5 ? K.MapType : -1;
    case K.Wrapper:
      return field === 1 ? K.Type : -1;
    case K.MapType:
      return field === 2 ? K.Type : -1;
    case K.TensorType:
      return field === 2 ? K.Shape : -1;
    case K.Shape:
      return field === 1 ? K.Dim : -1;
    case K.Function:
      return field === 7 ? K.Node : field === 11 ? K.Attribute : field === 12 ? K.ValueInfo : -1;
    case K.Training:
      return field === 1 || field === 2 ? K.Graph : -1;
    default:
      return -1;
  }
}

const TWO_63 = 2 ** 63;

/** Scans ONNX bytes against limits; never throws and allocates nothing per message. */
export function prescanOnnx(bytes: Uint8Array, limits: OnnxLimits = DEFAULT_ONNX_LIMITS): OnnxPrescanResult {
  const stats: OnnxPrescan = { bytes: bytes.byteLength, nodes: 0, graphDepth: 0, initializerBytes: 0, largestTensorElements: 0 };
  const fail = (limit: OnnxLimitName, message: string): OnnxPrescanResult => ({ ok: false, limit, message, stats });
  if (bytes.byteLength > limits.maxBytes) {
    return fail('maxBytes', `the file has ${bytes.byteLength.toLocaleString('en')} bytes; at most ${limits.maxBytes.toLocaleString('en')} are accepted (ONNX_MAX_BYTES)`);
  }
  // protobuf nesting accepted at all (protobufjs decodes recursively): a graph level is three messages deep
  // (Graph → Node → Attribute), a type a few more
  const MAX_MESSAGE_DEPTH = 4 * limits.maxGraphDepth + 32;
  // the stack of open messages, as parallel typed arrays (index 0 is the ModelProto)
  const ends = new Float64Array(MAX_MESSAGE_DEPTH + 1);
  const kinds = new Uint8Array(MAX_MESSAGE_DEPTH + 1);
  const graphDepths = new Uint16Array(MAX_MESSAGE_DEPTH + 1);
  // product of the fixed dims seen so far in an open Tensor / Shape, and whether it has any
  const products = new Float64Array(MAX_MESSAGE_DEPTH + 1);
  const dimmed = new Uint8Array(MAX_MESSAGE_DEPTH + 1);
  let top = 0;
  ends[0] = bytes.byteLength;
  kinds[0] = K.Model;
  let pos = 0;
  let value = 0;

  // reads a varint at pos into `value` (exact below 2^53, large enough to compare beyond); false when truncated
  const varint = (): boolean => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= bytes.length) return false;
      const b = bytes[pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        value = result;
        return true;
      }
      scale *= 128;
    }
    return false;
  };

  const closeMessage = (): OnnxPrescanResult | null => {
    const kind = kinds[top] as K;
    if ((kind === K.Tensor || kind === K.Shape) && dimmed[top]) {
      const elements = products[top];
      if (elements > stats.largestTensorElements) stats.largestTensorElements = elements;
      if (elements > limits.maxTensorElements) {
        const what = kind === K.Tensor ? 'a tensor in the file' : 'a declared input, output or value shape';
        return fail('maxTensorElements', `${what} has ${describeCount(elements)} elements; at most ${limits.maxTensorElements.toLocaleString('en')} are accepted (ONNX_MAX_TENSOR_ELEMENTS)`);
      }
    }
    top--;
    return null;
  };

  // a dim of a Tensor (TensorProto.dims) or of a Shape (Dimension.dim_value): multiplied in, capped past the limit
  const multiply = (frame: number, dim: number): void => {
    // negative int64 (two's complement, >= 2^63 as unsigned) and 0 say nothing about size here
    if (dim <= 0 || dim >= TWO_63) return;
    dimmed[frame] = 1;
    products[frame] = Math.min(products[frame] * dim, Number.MAX_VALUE);
  };

  while (true) {
    while (top > 0 && pos >= ends[top]) {
      if (pos > ends[top]) return fail('protobuf', 'a nested message runs past its declared length: the file is not valid protobuf');
      const bad = closeMessage();
      if (bad) return bad;
    }
    if (pos >= bytes.length) break;
    if (!varint()) return fail('protobuf', 'the file ends inside a field tag: it is truncated or not ONNX');
    const field = Math.floor(value / 8);
    const wire = value % 8;
    const kind = kinds[top] as K;
    if (field === 0) return fail('protobuf', 'a field number 0 appears: the file is not valid protobuf');
    if (wire === 0) {
      if (!varint()) return fail('protobuf', 'the file ends inside a number: it is truncated or not ONNX');
      if (kind === K.Tensor && field === 1) multiply(top, value);
      else if (kind === K.Dim && field === 1) multiply(top - 1, value);
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else if (wire === 2) {
      if (!varint()) return fail('protobuf', 'the file ends inside a length: it is truncated or not ONNX');
      const length = value;
      const end = pos + length;
      if (end > ends[top]) return fail('protobuf', 'a field runs past the end of its message or the file: it is truncated or not ONNX');
      const child = childKind(kind, field);
      if (child !== -1) {
        if (top + 1 > MAX_MESSAGE_DEPTH) return fail('protobuf', `protobuf messages are nested more than ${MAX_MESSAGE_DEPTH} deep (e.g. a type inside a type inside a type …)`);
        let depth = graphDepths[top];
        if (child === K.Graph) {
          depth++;
          if (depth > stats.graphDepth) stats.graphDepth = depth;
          if (depth > limits.maxGraphDepth) {
            return fail('maxGraphDepth', `graphs are nested more than ${limits.maxGraphDepth} deep (subgraphs in If / Loop / Scan attributes); at most ${limits.maxGraphDepth} levels are accepted (ONNX_MAX_GRAPH_DEPTH)`);
          }
        } else if (child === K.Node) {
          stats.nodes++;
          if (stats.nodes > limits.maxNodes) {
            return fail('maxNodes', `the model has more than ${limits.maxNodes.toLocaleString('en')} nodes (graphs, subgraphs and functions together); at most ${limits.maxNodes.toLocaleString('en')} are accepted (ONNX_MAX_NODES)`);
          }
        }
        top++;
        ends[top] = end;
        kinds[top] = child;
        graphDepths[top] = depth;
        products[top] = 1;
        dimmed[top] = 0;
        continue;
      }
      if (kind === K.Tensor) {
        if (field === 1) {
          // packed dims
          const stop = end;
          while (pos < stop) {
            if (!varint()) return fail('protobuf', 'the file ends inside a tensor dimension: it is truncated or not ONNX');
            multiply(top, value);
          }
          if (pos !== stop) return fail('protobuf', 'packed tensor dimensions run past their length: the file is not valid protobuf');
          continue;
        }
        // float_data, int32_data, string_data, int64_data, raw_data, double_data, uint64_data
        if (field === 4 || field === 5 || field === 6 || field === 7 || field === 9 || field === 10 || field === 11) {
          stats.initializerBytes += length;
          if (stats.initializerBytes > limits.maxInitializerBytes) {
            return fail('maxInitializerBytes', `the file holds more than ${limits.maxInitializerBytes.toLocaleString('en')} bytes of tensor data; at most that is accepted (ONNX_MAX_INITIALIZER_BYTES)`);
          }
        }
      }
      pos = end;
    } else {
      // 3 / 4 are protobuf groups, which ONNX never writes; 6 / 7 do not exist
      return fail('protobuf', `wire type ${wire} in field ${field}: the file is not an ONNX model`);
    }
    if (pos > ends[top]) return fail('protobuf', 'a field runs past the end of its message or the file: it is truncated or not ONNX');
  }
  return { ok: true, stats };
}

function describeCount(n: number): string {
  return n >= 1e15 ? n.toExponential(2) : Math.round(n).toLocaleString('en');
}
