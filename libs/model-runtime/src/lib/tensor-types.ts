import * as ort from 'onnxruntime-node';
import { KSERVE_BY_ELEM, type TensorElemType as ContractElemType } from '@loglens/contracts';

/**
 * onnxruntime-node's element type names for the tensors an ONNX model can take or return: the contracts' list without
 * the 'unknown' an inspection may report (nothing with an unknown type reaches a session).
 */
export type TensorElemType = Exclude<ContractElemType, 'unknown'>;

export { kserveDatatypeOf, type KServeDatatype } from '@loglens/contracts';

export function isTensorElemType(type: string): type is TensorElemType {
  return Object.prototype.hasOwnProperty.call(KSERVE_BY_ELEM, type);
}

/**
 * Element types this runtime can build input tensors of. float16 is left out: onnxruntime-node wants raw half
 * bits (Uint16Array), and no model we serve takes it; such inputs get a clear error instead of garbage.
 */
export type FeedableType = Exclude<TensorElemType, 'float16'>;

export function isFeedable(type: string): type is FeedableType {
  return isTensorElemType(type) && type !== 'float16';
}

export type ColumnData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | string[];

/** A flat, row-major buffer of `length` elements of `type`, in the array class onnxruntime-node expects. */
export function allocColumn(type: FeedableType, length: number): ColumnData {
  switch (type) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'uint8':
    case 'bool':
      // onnxruntime-node holds bool tensors as one byte per element
      return new Uint8Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'uint64':
      return new BigUint64Array(length);
    case 'string':
      return new Array<string>(length).fill('');
  }
}

/**
 * How float inputs treat missing values: `finite` refuses null/NaN/±Infinity (a feature vector of a model
 * that cannot impute), `nullable` reads null as NaN (sklearn pipelines with an Imputer expect NaN for "missing").
 */
export type FloatPolicy = 'finite' | 'nullable';

const INT_RANGES: Readonly<Partial<Record<FeedableType, readonly [number, number]>>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * Writes one JSON value into a column as the input's element type. Returns why the value does not fit (to be
 * prefixed with where it came from), or undefined once written. Nothing is coerced across kinds: a number is
 * never read as a string, nor a string as a number, and a non-integer never becomes an integer.
 */
export function writeElement(column: ColumnData, index: number, type: FeedableType, value: unknown, floats: FloatPolicy): string | undefined {
  switch (type) {
    case 'float32':
    case 'float64': {
      if (floats === 'finite') {
        if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a finite number, got ${show(value)}`;
      } else if (value !== null && typeof value !== 'number') {
        return `expected a number or null (missing), got ${show(value)}`;
      }
      (column as Float32Array | Float64Array)[index] = value === null ? Number.NaN : (value as number);
      return undefined;
    }
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return `expected an integer, got ${show(value)}`;
      const [min, max] = INT_RANGES[type] as readonly [number, number];
      if (value < min || value > max) return `expected an integer in [${min}, ${max}] (${type}), got ${show(value)}`;
      if (type === 'int64' || type === 'uint64') (column as BigInt64Array | BigUint64Array)[index] = BigInt(value);
      else (column as Int8Array)[index] = value;
      return undefined;
    }
    case 'bool':
      if (typeof value !== 'boolean') return `expected true or false, got ${show(value)}`;
      (column as Uint8Array)[index] = value ? 1 : 0;
      return undefined;
    case 'string':
      if (typeof value !== 'string') return `expected a string, got ${show(value)}`;
      (column as string[])[index] = value;
      return undefined;
  }
}

/** A short, readable rendering of a request value for error messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}…` : json;
}

export function makeTensor(type: FeedableType, data: ColumnData, dims: readonly number[]): ort.Tensor {
  // the union of array classes matches no single overload of the constructor; each pair was built by allocColumn
  return new ort.Tensor(type, data as Float32Array, dims);
}

/** Copies rows [from, to) of a column holding `perRow` elements per row. */
export function sliceRows(column: ColumnData, perRow: number, from: number, to: number): ColumnData {
  return column.slice(from * perRow, to * perRow);
}

/** Joins columns of one element type end to end. */
export function concatColumns(type: FeedableType, parts: readonly ColumnData[]): ColumnData {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (type === 'string') return (parts as string[][]).flat();
  const out = allocColumn(type, total) as Float32Array;
  let at = 0;
  for (const p of parts) {
    out.set(p as Float32Array, at);
    at += p.length;
  }
  return out;
}

/** One output value as JSON can carry it. */
export type OutputValue = number | string | boolean;

/**
 * Reads a tensor's elements as JSON values: int64/uint64 become numbers (exact up to 2^53), bool becomes 0/1 or
 * true/false as asked, float16 bits are decoded, strings stay strings. NaN stays NaN (JSON writes it as null).
 */
export function tensorValues(tensor: ort.Tensor, bools: 'number' | 'boolean'): OutputValue[] {
  const data = tensor.data as ArrayLike<number | bigint | string>;
  const out = new Array<OutputValue>(data.length);
  const half = tensor.type === 'float16' && !(typeof Float16ArrayCtor === 'function' && data instanceof Float16ArrayCtor);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v === 'bigint') out[i] = Number(v);
    else if (typeof v === 'string') out[i] = v;
    else if (tensor.type === 'bool') out[i] = bools === 'boolean' ? v !== 0 : v ? 1 : 0;
    else if (half) out[i] = decodeHalf(v);
    else out[i] = v;
  }
  return out;
}

const Float16ArrayCtor = (globalThis as { Float16Array?: new () => ArrayLike<number> }).Float16Array;

function decodeHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
