import { LogLensError } from './errors';
import type { ErrorBody } from './errors';

/**
 * Binary tensors: the KServe v2 binary data extension on HTTP (Triton's, which tritonclient speaks) and the frame that
 * carries tensors between the gateway and the workers on `inference.infer-binary.v1`. Tensor bytes are little-endian,
 * row-major, without padding; BOOL is one byte (0/1) per element; BYTES elements are each a 4-byte little-endian
 * length followed by that many bytes.
 */

/** The binary data extension's header (lower case, as node reads it): the byte length of the JSON before the tensors. */
export const INFER_HEADER_LENGTH = 'inference-header-content-length';

/** Bytes per element of each KServe datatype; BYTES is variable (null). */
const ELEMENT_SIZES: Readonly<Record<string, number | null>> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
  BYTES: null,
};

/** The element size of a KServe datatype, null for BYTES, undefined for a name KServe does not have. */
export function kserveElementSize(datatype: string): number | null | undefined {
  return Object.prototype.hasOwnProperty.call(ELEMENT_SIZES, datatype) ? ELEMENT_SIZES[datatype] : undefined;
}

/** One tensor of a binary frame: what JSON says of it; its bytes follow the head, in the order of the list. */
export interface BinaryTensorHead {
  name: string;
  datatype: string;
  shape: number[];
  /** bytes of this tensor in the frame's body */
  byteLength: number;
}

/** Runs a model on typed tensors carried as bytes (the head of an `inference.infer-binary.v1` request frame). */
export interface InferBinaryRequest {
  model?: string;
  version?: string;
  inputs: BinaryTensorHead[];
  /** tensor outputs to return; all tensor outputs when absent */
  outputs?: string[];
}

/** The head of an `inference.infer-binary.v1` reply frame: its outputs' bytes follow it, in order. */
export interface InferBinaryReply {
  modelVersion: string;
  outputs: BinaryTensorHead[];
  timings: { computeMs: number };
  worker: string;
}

/** The head of a reply frame: the reply, or the worker's typed error (then no bytes follow). */
export type InferBinaryReplyHead = { response: InferBinaryReply; err?: undefined } | { err: ErrorBody; response?: undefined };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A frame on `inference.infer-binary.v1`: a 4-byte little-endian length, that many bytes of JSON head, the parts. */
export function encodeTensorFrame(head: unknown, parts: readonly Uint8Array[] = []): Uint8Array {
  const json = encoder.encode(JSON.stringify(head));
  const total = 4 + json.length + parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  let at = 4 + json.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A frame's head (parsed JSON) and the bytes after it (a view, no copy). Throws VALIDATION_FAILED when malformed. */
export function decodeTensorFrame(bytes: Uint8Array): { head: unknown; body: Uint8Array } {
  if (bytes.byteLength < 4) throw new LogLensError('VALIDATION_FAILED', `a tensor frame needs at least 4 bytes, got ${bytes.byteLength}`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (n > bytes.byteLength - 4) throw new LogLensError('VALIDATION_FAILED', `the tensor frame's head says ${n} bytes, but only ${bytes.byteLength - 4} follow`);
  return { head: parseJson(bytes.subarray(4, 4 + n), 'the tensor frame head'), body: bytes.subarray(4 + n) };
}

/**
 * The KServe v2 binary data extension's body: `headerLength` bytes of JSON (the `Inference-Header-Content-Length`
 * header), then the binary parts. Returns the JSON header and the bytes after it (a view).
 */
export function decodeKServeBinaryBody(body: Uint8Array, headerLength: string | number | undefined): { header: unknown; rest: Uint8Array } {
  const raw = typeof headerLength === 'number' ? String(headerLength) : headerLength;
  if (raw === undefined || !/^\d+$/.test(raw.trim())) {
    throw new LogLensError('VALIDATION_FAILED', `Inference-Header-Content-Length must be a non-negative integer, got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}`);
  }
  const n = Number(raw.trim());
  if (n > body.byteLength) throw new LogLensError('VALIDATION_FAILED', `Inference-Header-Content-Length is ${n}, but the body has only ${body.byteLength} bytes`);
  return { header: parseJson(body.subarray(0, n), 'the inference header (the first Inference-Header-Content-Length bytes)'), rest: body.subarray(n) };
}

/** A KServe v2 binary body: the JSON header, then the parts. `headerLength` goes in `Inference-Header-Content-Length`. */
export function encodeKServeBinaryBody(header: unknown, parts: readonly Uint8Array[]): { body: Uint8Array; headerLength: number } {
  const json = encoder.encode(JSON.stringify(header));
  const out = new Uint8Array(json.length + parts.reduce((n, p) => n + p.byteLength, 0));
  out.set(json, 0);
  let at = json.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return { body: out, headerLength: json.length };
}

/**
 * Cuts `rest` into parts of the given sizes (views, no copy); the sizes must add up to exactly the bytes there are.
 * `names` label the parts in errors.
 */
export function splitParts(rest: Uint8Array, sizes: readonly number[], names: readonly string[], what = 'the body'): Uint8Array[] {
  const total = sizes.reduce((n, s) => n + s, 0);
  if (total !== rest.byteLength) {
    throw new LogLensError('VALIDATION_FAILED', `the binary tensors declare ${total} bytes (${names.map((n, i) => `"${n}" ${sizes[i]}`).join(', ')}), but ${what} holds ${rest.byteLength} bytes after the JSON`);
  }
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const s of sizes) {
    parts.push(rest.subarray(at, at + s));
    at += s;
  }
  return parts;
}

/**
 * Checks a tensor's declared shape and byte size: element count × element size must equal `byteLength` (BYTES: at
 * least 4 bytes per element, checked element by element when decoded). Returns the element count.
 */
export function checkTensorBytes(name: string, datatype: string, shape: unknown, byteLength: unknown): number {
  const bad = (m: string) => new LogLensError('VALIDATION_FAILED', `tensor "${name}": ${m}`);
  const size = kserveElementSize(datatype);
  if (size === undefined) throw bad(`unknown datatype ${JSON.stringify(datatype)}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  if (!Number.isSafeInteger(byteLength) || (byteLength as number) < 0) throw bad(`binary_data_size must be a non-negative integer, got ${JSON.stringify(byteLength)}`);
  const count = (shape as number[]).reduce((n, d) => n * d, 1);
  if (!Number.isSafeInteger(count)) throw bad(`shape ${JSON.stringify(shape)} is too large`);
  if (size === null) {
    if ((byteLength as number) < 4 * count) throw bad(`${count} BYTES elements need at least ${4 * count} bytes (a 4-byte length each), binary_data_size is ${byteLength as number}`);
  } else if (count * size !== byteLength) {
    throw bad(`shape ${JSON.stringify(shape)} of ${datatype} is ${count} × ${size} = ${count * size} bytes, but binary_data_size is ${byteLength as number}`);
  }
  return count;
}

/** BYTES elements (strings, UTF-8) as the binary form: each a 4-byte little-endian length, then its bytes. */
export function encodeBytesElements(values: readonly string[]): Uint8Array {
  const encoded = values.map((v) => encoder.encode(v));
  const out = new Uint8Array(encoded.reduce((n, e) => n + 4 + e.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const e of encoded) {
    view.setUint32(at, e.length, true);
    out.set(e, at + 4);
    at += 4 + e.length;
  }
  return out;
}

/** The `count` strings of a BYTES tensor's binary form; every length must fit and nothing may be left over. */
export function decodeBytesElements(bytes: Uint8Array, count: number, name: string): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<string>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.byteLength) throw new LogLensError('VALIDATION_FAILED', `tensor "${name}": BYTES element ${i} has no 4-byte length (the data ends at byte ${bytes.byteLength})`);
    const n = view.getUint32(at, true);
    if (at + 4 + n > bytes.byteLength) throw new LogLensError('VALIDATION_FAILED', `tensor "${name}": BYTES element ${i} says ${n} bytes, but only ${bytes.byteLength - at - 4} are left`);
    out[i] = decoder.decode(bytes.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  if (at !== bytes.byteLength) throw new LogLensError('VALIDATION_FAILED', `tensor "${name}": ${bytes.byteLength - at} bytes are left after its ${count} BYTES elements`);
  return out;
}

/** The JSON values of a tensor's binary form (the JSON reply of a binary request): BOOL as booleans, 64-bit ints as numbers. */
export function tensorBytesToValues(datatype: string, bytes: Uint8Array, count: number, name: string): Array<number | string | boolean> {
  if (datatype === 'BYTES') return decodeBytesElements(bytes, count, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number | string | boolean>(count);
  for (let i = 0; i < count; i++) {
    switch (datatype) {
      case 'FP32': out[i] = view.getFloat32(i * 4, true); break;
      case 'FP64': out[i] = view.getFloat64(i * 8, true); break;
      case 'INT64': out[i] = Number(view.getBigInt64(i * 8, true)); break;
      case 'UINT64': out[i] = Number(view.getBigUint64(i * 8, true)); break;
      case 'INT32': out[i] = view.getInt32(i * 4, true); break;
      case 'UINT32': out[i] = view.getUint32(i * 4, true); break;
      case 'INT16': out[i] = view.getInt16(i * 2, true); break;
      case 'UINT16': out[i] = view.getUint16(i * 2, true); break;
      case 'INT8': out[i] = view.getInt8(i); break;
      case 'UINT8': out[i] = view.getUint8(i); break;
      case 'BOOL': out[i] = view.getUint8(i) !== 0; break;
      default: throw new LogLensError('VALIDATION_FAILED', `tensor "${name}": datatype ${datatype} has no JSON form here`);
    }
  }
  return out;
}

/**
 * A tensor's JSON values in binary form (a JSON request that asks for binary outputs). null is NaN for floats; other
 * values must be numbers (or booleans for BOOL, strings for BYTES).
 */
export function tensorValuesToBytes(datatype: string, values: ReadonlyArray<unknown>, name: string): Uint8Array {
  if (datatype === 'BYTES') return encodeBytesElements(values.map((v) => String(v)));
  const size = kserveElementSize(datatype);
  if (!size) throw new LogLensError('VALIDATION_FAILED', `tensor "${name}": unknown datatype ${JSON.stringify(datatype)}`);
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((raw, i) => {
    const v = raw === null ? Number.NaN : typeof raw === 'boolean' ? (raw ? 1 : 0) : Number(raw);
    switch (datatype) {
      case 'FP32': view.setFloat32(i * 4, v, true); break;
      case 'FP64': view.setFloat64(i * 8, v, true); break;
      case 'INT64': view.setBigInt64(i * 8, BigInt(Math.trunc(v)), true); break;
      case 'UINT64': view.setBigUint64(i * 8, BigInt(Math.trunc(v)), true); break;
      case 'INT32': view.setInt32(i * 4, v, true); break;
      case 'UINT32': view.setUint32(i * 4, v, true); break;
      case 'INT16': view.setInt16(i * 2, v, true); break;
      case 'UINT16': view.setUint16(i * 2, v, true); break;
      case 'INT8': view.setInt8(i, v); break;
      case 'UINT8': view.setUint8(i, v); break;
      case 'BOOL': view.setUint8(i, v ? 1 : 0); break;
      default: throw new LogLensError('VALIDATION_FAILED', `tensor "${name}": datatype ${datatype} cannot be written as binary data here`);
    }
  });
  return out;
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    throw new LogLensError('VALIDATION_FAILED', `${what} is not valid JSON`);
  }
}
