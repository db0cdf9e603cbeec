import { onnx } from 'onnx-proto';
import { OnnxDim, OnnxElemType, elemTypeToCode } from './onnx-types';

export const ONNX_DEFAULT_DOMAIN = '';
export const ONNX_ML_DOMAIN = 'ai.onnx.ml';

// IR 8 / opset 17 / ml 3 is the ONNX 1.12 set: it covers every op we emit and onnxruntime-node 1.30 loads it (see
// the specs). Newer opsets per model go through the builder's `opsets` option rather than a change here.
export const DEFAULT_IR_VERSION = 8;
export const DEFAULT_OPSET_VERSIONS: Readonly<Record<string, number>> = {
  [ONNX_DEFAULT_DOMAIN]: 17,
  [ONNX_ML_DOMAIN]: 3,
};

export type OnnxNumericElemType = 'float32' | 'float64' | 'int32' | 'int64';

/** A constant tensor in row-major order. */
export interface OnnxTensorInit {
  elemType: OnnxNumericElemType;
  dims: readonly number[];
  values: ArrayLike<number>;
}

export type OnnxAttribute =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'strings'; value: readonly string[] }
  | { type: 'tensor'; value: OnnxTensorInit };

// Explicit tags because ONNX distinguishes FLOATS from INTS where JavaScript numbers cannot (tree-ensemble
// attributes mix both, e.g. nodes_values vs nodes_featureids).
/** Typed attribute constructors for OnnxGraphBuilder.addNode. */
export const onnxAttr = {
  float: (value: number): OnnxAttribute => ({ type: 'float', value }),
  int: (value: number): OnnxAttribute => ({ type: 'int', value }),
  string: (value: string): OnnxAttribute => ({ type: 'string', value }),
  floats: (value: readonly number[]): OnnxAttribute => ({ type: 'floats', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ type: 'ints', value }),
  strings: (value: readonly string[]): OnnxAttribute => ({ type: 'strings', value }),
  tensor: (value: OnnxTensorInit): OnnxAttribute => ({ type: 'tensor', value }),
};

export interface OnnxNodeSpec {
  opType: string;
  /** Value names consumed; '' marks an omitted optional input. */
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** '' (default ONNX ops) unless given, e.g. ONNX_ML_DOMAIN for TreeEnsembleRegressor. */
  domain?: string;
  attributes?: Readonly<Record<string, OnnxAttribute>>;
  docString?: string;
}

export interface OnnxModelOptions {
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  modelVersion?: number;
  metadataProps?: Readonly<Record<string, string>>;
}

export interface OnnxGraphBuilderOptions {
  irVersion?: number;
  /** Opset version per domain; a domain is imported only when a node uses it (the default domain always is). */
  opsets?: Readonly<Record<string, number>>;
}

/** Accumulates inputs, initializers, nodes and outputs in topological order and encodes them as an ONNX model. */
export class OnnxGraphBuilder {
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly defined = new Set<string>();
  private readonly usedDomains = new Set<string>([ONNX_DEFAULT_DOMAIN]);
  private readonly irVersion: number;
  private readonly opsets: Readonly<Record<string, number>>;

  constructor(
    readonly graphName: string,
    options: OnnxGraphBuilderOptions = {},
  ) {
    this.irVersion = options.irVersion ?? DEFAULT_IR_VERSION;
    this.opsets = { ...DEFAULT_OPSET_VERSIONS, ...options.opsets };
  }

  /** Declares a graph input the caller feeds at run time. */
  addInput(name: string, elemType: OnnxElemType, shape: readonly OnnxDim[], description?: string): this {
    this.define(name);
    this.inputs.push(valueInfo(name, elemType, shape, description));
    return this;
  }

  /** Declares a graph output; some node must produce it before toModelProto. */
  addOutput(name: string, elemType: OnnxElemType, shape: readonly OnnxDim[], description?: string): this {
    this.outputs.push(valueInfo(name, elemType, shape, description));
    return this;
  }

  /** Adds a constant tensor (weights, thresholds) and returns its name for use as a node input. */
  addInitializer(name: string, tensor: OnnxTensorInit): string {
    this.define(name);
    this.initializers.push(tensorProto(name, tensor));
    return name;
  }

  /** Appends a node; its inputs must already be defined, which keeps the graph topologically sorted. */
  addNode(spec: OnnxNodeSpec): readonly string[] {
    const label = spec.name ?? spec.opType;
    for (const input of spec.inputs) {
      if (input !== '' && !this.defined.has(input)) {
        throw new RangeError(
          `node '${label}' reads '${input}', which no input, initializer or earlier node defines`,
        );
      }
    }
    for (const output of spec.outputs) this.define(output);
    const domain = spec.domain ?? ONNX_DEFAULT_DOMAIN;
    this.usedDomains.add(domain);
    this.nodes.push({
      name: spec.name ?? `${spec.opType}_${this.nodes.length}`,
      opType: spec.opType,
      domain,
      input: [...spec.inputs],
      output: [...spec.outputs],
      attribute: Object.entries(spec.attributes ?? {}).map(([attrName, a]) => attributeProto(attrName, a)),
      docString: spec.docString,
    });
    return spec.outputs;
  }

  /** Assembles the ModelProto, e.g. to adjust fields the builder does not cover before encoding. */
  toModelProto(options: OnnxModelOptions = {}): onnx.ModelProto {
    for (const out of this.outputs) {
      if (!this.defined.has(out.name ?? ''))
        throw new RangeError(`graph output '${out.name}' is never produced`);
    }
    const opsetImport = [...this.usedDomains]
      .sort((a, b) => (a === ONNX_DEFAULT_DOMAIN ? -1 : b === ONNX_DEFAULT_DOMAIN ? 1 : a.localeCompare(b)))
      .map((domain) => {
        const version = this.opsets[domain];
        if (version === undefined) throw new RangeError(`no opset version given for domain '${domain}'`);
        return { domain, version };
      });
    return onnx.ModelProto.create({
      irVersion: this.irVersion,
      opsetImport,
      producerName: options.producerName ?? '@loglens/onnx-format',
      producerVersion: options.producerVersion ?? '1',
      modelVersion: options.modelVersion,
      docString: options.docString,
      graph: {
        name: this.graphName,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
        node: this.nodes,
      },
      metadataProps: Object.entries(options.metadataProps ?? {}).map(([key, value]) => ({ key, value })),
    });
  }

  /** Encodes the model; identical builder calls give identical bytes (no timestamps, no random names). */
  toBytes(options: OnnxModelOptions = {}): Uint8Array {
    return onnx.ModelProto.encode(this.toModelProto(options)).finish();
  }

  private define(name: string): void {
    if (name === '') throw new RangeError('ONNX value names must not be empty');
    if (this.defined.has(name))
      throw new RangeError(`'${name}' is defined twice in graph '${this.graphName}'`);
    this.defined.add(name);
  }
}

function valueInfo(
  name: string,
  elemType: OnnxElemType,
  shape: readonly OnnxDim[],
  docString: string | undefined,
): onnx.IValueInfoProto {
  const dim = shape.map((d): onnx.TensorShapeProto.IDimension => {
    if (typeof d === 'number') return { dimValue: d };
    if (typeof d === 'string') return { dimParam: d };
    return {};
  });
  return { name, docString, type: { tensorType: { elemType: elemTypeToCode(elemType), shape: { dim } } } };
}

function tensorProto(name: string, t: OnnxTensorInit): onnx.ITensorProto {
  const expected = t.dims.reduce((n, d) => n * d, 1);
  if (t.values.length !== expected) {
    throw new RangeError(`tensor '${name}' has ${t.values.length} values for dims [${t.dims.join(', ')}]`);
  }
  const values = Array.from(t.values);
  const proto: onnx.ITensorProto = { name, dims: [...t.dims], dataType: elemTypeToCode(t.elemType) };
  switch (t.elemType) {
    case 'float32':
      proto.floatData = values;
      break;
    case 'float64':
      proto.doubleData = values;
      break;
    case 'int32':
      proto.int32Data = checkIntegers(name, values);
      break;
    case 'int64':
      proto.int64Data = checkIntegers(name, values);
      break;
  }
  return proto;
}

function checkIntegers(name: string, values: number[]): number[] {
  const bad = values.find((v) => !Number.isSafeInteger(v));
  if (bad !== undefined) throw new RangeError(`'${name}' needs integers, got ${bad}`);
  return values;
}

function attributeProto(name: string, a: OnnxAttribute): onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
  switch (a.type) {
    case 'float':
      return { name, type: AttributeType.FLOAT, f: a.value };
    case 'int':
      return { name, type: AttributeType.INT, i: checkIntegers(name, [a.value])[0] };
    case 'string':
      return { name, type: AttributeType.STRING, s: utf8(a.value) };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: [...a.value] };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: checkIntegers(name, [...a.value]) };
    case 'strings':
      return { name, type: AttributeType.STRINGS, strings: a.value.map(utf8) };
    case 'tensor':
      return { name, type: AttributeType.TENSOR, t: tensorProto(name, a.value) };
  }
}
