import type * as ort from 'onnxruntime-node';
import { LogLensError } from '@loglens/contracts';
import { kserveDatatypeOf, type KServeDatatype } from '@loglens/contracts';
import { isFeedable, type FeedableType } from './tensor-types';

/** A dimension: a fixed size, a symbolic name (`"N"`), or null when the model leaves it unnamed. */
export type Dim = number | string | null;

export interface TensorValueInfo {
  name: string;
  isTensor: true;
  /** onnxruntime element type (`float32`, `int64`, `string`, …) */
  type: string;
  /** the same type as an Open Inference Protocol datatype, null when it has none */
  datatype: KServeDatatype | null;
  /** as onnxruntime reports it; `[]` means a scalar or a shape the model does not declare (onnxruntime cannot tell them apart) */
  shape: Dim[];
}

/** A sequence or map value (skl2onnx's ZipMap `seq(map(...))`): onnxruntime-node can neither feed nor fetch it. */
export interface NonTensorValueInfo {
  name: string;
  isTensor: false;
  type: null;
  datatype: null;
  shape: null;
}

export type ValueInfo = TensorValueInfo | NonTensorValueInfo;

export interface SessionSignature {
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

/** Anything that carries onnxruntime metadata: an `ort.InferenceSession` or an `OnnxModelSession`. */
export interface HasMetadata {
  readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[];
}

/** The inputs and outputs of a loaded model, as plain JSON for validation reports and the admin console. */
export function describeSession(session: HasMetadata): SessionSignature {
  return { inputs: session.inputMetadata.map(valueInfo), outputs: session.outputMetadata.map(valueInfo) };
}

function valueInfo(m: ort.InferenceSession.ValueMetadata): ValueInfo {
  if (!m.isTensor) return { name: m.name, isTensor: false, type: null, datatype: null, shape: null };
  return {
    name: m.name,
    isTensor: true,
    type: m.type,
    datatype: kserveDatatypeOf(m.type),
    // onnxruntime reports an unnamed dimension as ""
    shape: m.shape.map((d) => (typeof d === 'number' ? (d >= 0 ? d : null) : d === '' ? null : d)),
  };
}

export function fixedDim(d: Dim | undefined): number | null {
  return typeof d === 'number' && d > 0 ? d : null;
}

export function formatShape(shape: readonly Dim[] | null): string {
  if (shape === null) return '(non-tensor)';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}

/** One request field feeding one model input with one value per row: an `[N]` or `[N,1]` tensor. */
export interface FieldSpec {
  name: string;
  type: FeedableType;
  rank: 1 | 2;
}

/**
 * How request rows become input tensors:
 * - `vector`: the model has one `[N, F]` input; a row is F values (an array, or an object keyed by feature name);
 *   `width` is null when neither the model nor the feature schema says F (the rows decide, `treecl.onnx`).
 * - `fields`: every input takes one value per row (`[N]` or `[N,1]`, the usual multi-input sklearn pipeline);
 *   a row is an object keyed by input name (or an array in input order), each value cast to its input's type.
 * - `none`: rows cannot fill these inputs (rank 3+, or several inputs of which one is a vector); typed
 *   inference (`infer`) still serves the model.
 */
export type RowLayout =
  | { kind: 'vector'; input: string; type: FeedableType; width: number | null; featureNames: string[] | null; fixedBatch: number | null }
  | { kind: 'fields'; fields: FieldSpec[]; fixedBatch: number | null }
  | { kind: 'none'; reason: string };

export function rowLayoutOf(inputs: readonly ValueInfo[], featureNames: string[] | null, ref: string): RowLayout {
  const tensors: TensorValueInfo[] = [];
  for (const input of inputs) {
    if (!input.isTensor) return { kind: 'none', reason: `input "${input.name}" is not a tensor` };
    if (!isFeedable(input.type)) return { kind: 'none', reason: `input "${input.name}" is ${input.type}, which this runtime does not feed` };
    tensors.push(input);
  }
  if (tensors.length === 0) return { kind: 'none', reason: 'the model has no inputs' };

  if (tensors.length === 1) {
    const [input] = tensors;
    const type = input.type as FeedableType;
    if (input.shape.length === 1) {
      return { kind: 'fields', fields: [{ name: input.name, type, rank: 1 }], fixedBatch: fixedDim(input.shape[0]) };
    }
    // an undeclared shape is read as [N, F], the shape nearly every tabular exporter writes
    if (input.shape.length === 0 || input.shape.length === 2) {
      const declared = fixedDim(input.shape[1]);
      if (declared !== null && featureNames && featureNames.length !== declared) {
        throw new LogLensError('INVALID_MODEL', `${ref}: the feature schema lists ${featureNames.length} features but input "${input.name}" takes ${declared}`);
      }
      const width = declared ?? featureNames?.length ?? null;
      // a one-wide input can be addressed by the input's own name when there is no schema
      const names = featureNames ?? (width === 1 ? [input.name] : null);
      return { kind: 'vector', input: input.name, type, width, featureNames: names, fixedBatch: fixedDim(input.shape[0]) };
    }
    return { kind: 'none', reason: `input "${input.name}" is ${input.type}${formatShape(input.shape)}: rows fill [N,features] or [N] inputs only` };
  }

  const fields: FieldSpec[] = [];
  const batches = new Set<number>();
  for (const input of tensors) {
    const { shape } = input;
    let rank: 1 | 2;
    if (shape.length === 1) rank = 1;
    else if (shape.length === 0 || (shape.length === 2 && (shape[1] === 1 || fixedDim(shape[1]) === null))) rank = 2;
    else {
      return {
        kind: 'none',
        reason: `input "${input.name}" is ${input.type}${formatShape(shape)}: named-field rows fill one value per row and input ([N] or [N,1])`,
      };
    }
    const batch = fixedDim(shape[0]);
    if (batch !== null) batches.add(batch);
    fields.push({ name: input.name, type: input.type as FeedableType, rank });
  }
  if (batches.size > 1) return { kind: 'none', reason: `the inputs fix different batch sizes (${[...batches].join(', ')})` };
  return { kind: 'fields', fields, fixedBatch: batches.size ? [...batches][0] : null };
}
