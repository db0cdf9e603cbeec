import type { IncomingMessage } from 'node:http';
import {
  checkTensorBytes,
  decodeKServeBinaryBody,
  decodeTensorFrame,
  encodeKServeBinaryBody,
  encodeTensorFrame,
  INFER_HEADER_LENGTH,
  LogLensError,
  splitParts,
  tensorBytesToValues,
  tensorValuesToBytes,
  type InferBinaryReply,
  type InferBinaryReplyHead,
  type InferBinaryRequest,
  type InferReply,
} from '@loglens/contracts';
import type { V2InferRequestDto } from './v2.dto';

/**
 * The KServe v2 binary data extension (Triton's): a request body of `Inference-Header-Content-Length` bytes of JSON
 * followed by the inputs' bytes; outputs asked with `binary_data` (per output) or `binary_data_output` (request-wide)
 * come back the same way. See docs/api.md, "Binary tensors".
 */

export { INFER_HEADER_LENGTH };

/** The v2 infer routes (Fastify's patterns, and the paths Express sees before routing). */
export const V2_INFER_ROUTES = ['/v2/models/:name/infer', '/v2/models/:name/versions/:version/infer'];
const V2_INFER_PATH = /^\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer\/?$/;

/** Whether a request carries a binary infer body (by the route and the extension's header). */
export function isBinaryInferRequest(route: string | undefined, path: string, headers: IncomingMessage['headers']): boolean {
  if (headers[INFER_HEADER_LENGTH] === undefined) return false;
  return route !== undefined ? V2_INFER_ROUTES.includes(route) : V2_INFER_PATH.test(path);
}

/** The binary parts of each request, kept by its node request (the JSON header is the request's body). */
const binaryParts = new WeakMap<object, Uint8Array>();

/**
 * Reads a binary infer body: returns the JSON header (validated as the body by the v2 DTO) and keeps the bytes after
 * it for the controller. 400 (VALIDATION_FAILED) when the header length is missing, not a number, over the body or
 * the header not JSON.
 */
export function readBinaryInferBody(raw: IncomingMessage, body: Uint8Array): unknown {
  const header = raw.headers[INFER_HEADER_LENGTH];
  const { header: json, rest } = decodeKServeBinaryBody(body, Array.isArray(header) ? header[0] : header);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new LogLensError('VALIDATION_FAILED', 'the inference header must be a JSON object');
  binaryParts.set(raw, rest);
  return json;
}

/** The bytes after a binary request's JSON header, or undefined for a JSON request. */
export function binaryPartsOf(raw: object | undefined): Uint8Array | undefined {
  return raw === undefined ? undefined : binaryParts.get(raw);
}

type Params = Record<string, unknown> | undefined;

/** The binary size an input declares, or undefined when it carries `data`. */
export function binaryDataSize(input: { parameters?: Params }): unknown {
  return input.parameters?.['binary_data_size'];
}

/**
 * The request frame for `inference.infer-binary.v1`: every input's declared shape × element size checked against its
 * `binary_data_size`, the sizes against the bytes there are; the parts are views of the HTTP body.
 */
export function inferFrame(target: Pick<InferBinaryRequest, 'model' | 'version'>, body: V2InferRequestDto, rest: Uint8Array): Uint8Array {
  const inputs = body.inputs.map((t) => {
    const size = binaryDataSize(t);
    if (t.data !== undefined) throw new LogLensError('VALIDATION_FAILED', `input "${t.name}": give either data or parameters.binary_data_size, not both`);
    checkTensorBytes(t.name, t.datatype, t.shape, size);
    return { name: t.name, datatype: t.datatype, shape: t.shape, byteLength: size as number };
  });
  const parts = splitParts(
    rest,
    inputs.map((t) => t.byteLength),
    inputs.map((t) => t.name),
  );
  const head: InferBinaryRequest = { ...target, inputs, ...(body.outputs ? { outputs: body.outputs.map((o) => o.name) } : {}) };
  return encodeTensorFrame(head, parts);
}

/** A worker's reply frame: its head and the outputs' bytes, or its typed error thrown. */
export function readReplyFrame(bytes: Uint8Array): { reply: InferBinaryReply; parts: Uint8Array[] } {
  const { head, body } = decodeTensorFrame(bytes);
  const h = head as InferBinaryReplyHead;
  if (h.err) throw LogLensError.fromBody(h.err);
  const reply = h.response;
  const parts = splitParts(
    body,
    reply.outputs.map((o) => o.byteLength),
    reply.outputs.map((o) => o.name),
    'the worker reply',
  );
  return { reply, parts };
}

/** Whether an output goes back as binary data: its own `binary_data` wins over the request's `binary_data_output`. */
export function wantsBinary(name: string, body: V2InferRequestDto): boolean {
  const own = body.outputs?.find((o) => o.name === name)?.parameters;
  const mine = own?.['binary_data'] ?? own?.['binary_data_output'];
  if (mine !== undefined) return mine === true;
  return body.parameters?.['binary_data_output'] === true;
}

/** Checks the binary flags are booleans (400 otherwise). */
export function checkBinaryFlags(body: V2InferRequestDto): void {
  const flag = (v: unknown, where: string) => {
    if (v !== undefined && typeof v !== 'boolean') throw new LogLensError('VALIDATION_FAILED', `${where} must be a boolean`);
  };
  flag(body.parameters?.['binary_data_output'], 'parameters.binary_data_output');
  for (const o of body.outputs ?? []) {
    flag(o.parameters?.['binary_data'], `outputs "${o.name}": parameters.binary_data`);
    flag(o.parameters?.['binary_data_output'], `outputs "${o.name}": parameters.binary_data_output`);
  }
}

/** One output of the reply, with its bytes (binary path) or its values (JSON path). */
export interface ReplyTensor {
  name: string;
  datatype: string;
  shape: number[];
  bytes?: Uint8Array;
  data?: InferReply['outputs'][number]['data'];
}

/** An output as JSON values (from bytes when it came back binary). */
export function valuesOf(t: ReplyTensor): InferReply['outputs'][number]['data'] {
  if (t.data) return t.data;
  const count = t.shape.reduce((n, d) => n * d, 1);
  return tensorBytesToValues(t.datatype, t.bytes as Uint8Array, count, t.name);
}

/** An output as bytes (from values when it came back as JSON). */
export function bytesOf(t: ReplyTensor): Uint8Array {
  return t.bytes ?? tensorValuesToBytes(t.datatype, t.data ?? [], t.name);
}

/** The binary reply: the JSON header (binary outputs with `binary_data_size`), then their bytes; its header length. */
export function binaryReply(head: Record<string, unknown>, outputs: ReplyTensor[], binary: (name: string) => boolean): { body: Buffer; headerLength: number } {
  const parts: Uint8Array[] = [];
  const described = outputs.map((t) => {
    if (!binary(t.name)) return { name: t.name, datatype: t.datatype, shape: t.shape, data: valuesOf(t) };
    const bytes = bytesOf(t);
    parts.push(bytes);
    return { name: t.name, datatype: t.datatype, shape: t.shape, parameters: { binary_data_size: bytes.byteLength } };
  });
  const { body, headerLength } = encodeKServeBinaryBody({ ...head, outputs: described }, parts);
  return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), headerLength };
}
