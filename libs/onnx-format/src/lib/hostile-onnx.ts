import { onnx } from 'onnx-proto';

// Hostile ONNX files (for the limits' tests here and the services' integration tests), written as raw protobuf (field numbers from onnx.proto3) or with onnx-proto:
// nothing is downloaded, and each is a few bytes to a few MB.

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** One length-delimited field (wire type 2). */
function field(number: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...varint(number * 8 + 2), ...varint(body.length)]), body]);
}

const header = (): Buffer =>
  Buffer.concat([
    Buffer.from([0x08, 8]), // ir_version 8
    field(8, Buffer.from([0x10, 17])), // opset_import { version: 17 }
  ]);

/** A model whose graph holds `count` empty NodeProtos (two bytes each: 4M nodes is an 8 MB file). */
export function emptyNodesModel(count: number): Buffer {
  const nodes = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) nodes[i * 2] = 0x0a; // GraphProto.node, length 0
  return Buffer.concat([header(), field(7, nodes)]);
}

/** A model of `depth` graphs, each inside the previous one's node → attribute (type GRAPH) → g. */
export function nestedGraphsModel(depth: number): Buffer {
  const name = field(1, Buffer.from('then_branch'));
  const graphType = Buffer.from([0xa0, 0x01, 5]); // AttributeProto.type = GRAPH
  const opType = field(4, Buffer.from('If'));
  // sizes from the innermost graph (empty) outwards, then one write from the outside in (no quadratic copying)
  const graphSize: number[] = [0];
  const attrSize: number[] = [0];
  const nodeSize: number[] = [0];
  for (let i = 1; i < depth; i++) {
    const inner = graphSize[i - 1];
    attrSize[i] = name.length + graphType.length + 1 + varint(inner).length + inner;
    nodeSize[i] = opType.length + 1 + varint(attrSize[i]).length + attrSize[i];
    graphSize[i] = 1 + varint(nodeSize[i]).length + nodeSize[i];
  }
  const parts: Buffer[] = [header(), Buffer.from([0x3a, ...varint(graphSize[depth - 1])])];
  for (let i = depth - 1; i >= 1; i--) {
    parts.push(Buffer.from([0x0a, ...varint(nodeSize[i])]), opType, Buffer.from([0x2a, ...varint(attrSize[i])]), name, graphType, Buffer.from([0x32, ...varint(graphSize[i - 1])]));
  }
  return Buffer.concat(parts);
}

/** A valid-looking model (Identity) whose input and output declare `dims` (e.g. [1e6, 1e6]: 10^12 elements). */
export function declaredShapeModel(dims: number[]): Buffer {
  const type = { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'hostile-test',
    graph: {
      name: 'huge',
      node: [{ opType: 'Identity', input: ['x'], output: ['y'] }],
      input: [{ name: 'x', type }],
      output: [{ name: 'y', type }],
    },
  });
  return Buffer.from(onnx.ModelProto.encode(model).finish());
}
