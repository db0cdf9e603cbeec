import { LogLensError, type ErrorBody } from './errors';
import type { OutputTensorDto, PredictReply, PredictRequest } from './inference.messages';
import { checkTensorBytes, decodeTensorFrame, encodeTensorFrame, splitParts, tensorBytesToValues, type BinaryTensorHead } from './tensor-frame';

/**
 * Predict as a tensor frame (`inference.predict-binary.v1`, the infer frame's format: 4-byte length, JSON head, the
 * tensors' bytes): feature-vector rows as one FP64 (or FP32) tensor [rows, width], and in the reply the scores and
 * every numeric output as FP64 tensors, so no number is formatted or parsed as text between gateway and worker.
 * Everything else (model, version, keys, flags; thresholds, timings, labels, explanations) stays in the JSON head.
 */

/** The head of a request frame: a PredictRequest whose rows are the frame's one tensor. */
export type PredictBinaryRequestHead = Omit<PredictRequest, 'rows'> & { rows: BinaryTensorHead };

/** An output in a reply frame's head: its values as a tensor of the body (numbers), or as JSON (labels). */
export interface PredictBinaryOutputHead {
  dims: number[];
  tensor?: BinaryTensorHead;
  data?: Array<number | string>;
}

/** The head of a reply frame: the reply with its scores and numeric outputs in the body, or the worker's error. */
export type PredictBinaryReplyHead =
  | { response: Omit<PredictReply, 'scores' | 'outputs'> & { scores: BinaryTensorHead; outputs: Record<string, PredictBinaryOutputHead> }; err?: undefined }
  | { err: ErrorBody; response?: undefined };

/**
 * The request as a frame, or null when its rows are not all arrays of the same length holding only finite numbers
 * (named fields, nulls for missing values: those go as JSON).
 */
export function encodePredictFrame(req: PredictRequest): Uint8Array | null {
  const rows = req.rows;
  const first = rows[0];
  if (!Array.isArray(first)) return null;
  const width = first.length;
  const values = new Float64Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row) || row.length !== width) return null;
    for (let j = 0; j < width; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) return null;
      values[i * width + j] = v;
    }
  }
  const head: PredictBinaryRequestHead = { ...req, rows: { name: 'rows', datatype: 'FP64', shape: [rows.length, width], byteLength: values.byteLength } };
  return encodeTensorFrame(head, [new Uint8Array(values.buffer)]);
}

/** A request frame back to a PredictRequest (rows as arrays of numbers), for checkPredictRequest. */
export function decodePredictFrame(bytes: Uint8Array): PredictRequest {
  const { head, body } = decodeTensorFrame(bytes);
  if (typeof head !== 'object' || head === null || Array.isArray(head)) throw new LogLensError('VALIDATION_FAILED', 'the frame head must be an object');
  const h = head as Record<string, unknown>;
  const t = h['rows'] as BinaryTensorHead | undefined;
  if (typeof t !== 'object' || t === null || (t.datatype !== 'FP64' && t.datatype !== 'FP32') || !Array.isArray(t.shape) || t.shape.length !== 2) {
    throw new LogLensError('VALIDATION_FAILED', 'rows must be an FP64 or FP32 tensor [rows, width]');
  }
  checkTensorBytes('rows', t.datatype, t.shape, t.byteLength);
  const [data] = splitParts(body, [t.byteLength], ['rows'], 'the frame');
  const [n, width] = t.shape;
  const values = typedView(t.datatype, data);
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(width);
    for (let j = 0; j < width; j++) row[j] = values[i * width + j];
    rows[i] = row;
  }
  return { ...(h as Omit<PredictRequest, 'rows'>), rows };
}

/** A reply (or the worker's error) as a frame: scores and numeric outputs as FP64 tensors. */
export function encodePredictReplyFrame(outcome: { response: PredictReply } | { err: ErrorBody }): Uint8Array {
  if (!('response' in outcome)) return encodeTensorFrame({ err: outcome.err });
  const { scores, outputs, ...rest } = outcome.response;
  const parts: Uint8Array[] = [];
  const tensor = (name: string, values: ArrayLike<number>): BinaryTensorHead => {
    const f = Float64Array.from(values);
    parts.push(new Uint8Array(f.buffer));
    return { name, datatype: 'FP64', shape: [f.length], byteLength: f.byteLength };
  };
  const scoresHead = allNumbers(scores) ? tensor('scores', scores) : null;
  if (!scoresHead) return encodeTensorFrame({ response: outcome.response });
  const outs: Record<string, PredictBinaryOutputHead> = {};
  for (const name in outputs) {
    const o = outputs[name];
    outs[name] = allNumbers(o.data) ? { dims: o.dims, tensor: tensor(name, o.data) } : { dims: o.dims, data: o.data };
  }
  return encodeTensorFrame({ response: { ...rest, scores: scoresHead, outputs: outs } }, parts);
}

/** A reply frame back to a PredictReply; the worker's error is thrown as a LogLensError. */
export function decodePredictReplyFrame(bytes: Uint8Array): PredictReply {
  const { head, body } = decodeTensorFrame(bytes);
  const h = head as { response?: Record<string, unknown>; err?: ErrorBody };
  if (h.err) throw LogLensError.fromBody(h.err);
  if (!h.response) throw new LogLensError('INTERNAL', 'a predict reply frame without response or err');
  const r = h.response;
  // a reply whose scores are not numbers (labels) comes whole in the head
  if (Array.isArray(r['scores'])) return r as unknown as PredictReply;
  const heads: BinaryTensorHead[] = [r['scores'] as BinaryTensorHead];
  const outs = r['outputs'] as Record<string, PredictBinaryOutputHead>;
  for (const name in outs) if (outs[name].tensor) heads.push(outs[name].tensor as BinaryTensorHead);
  const parts = splitParts(
    body,
    heads.map((t) => t.byteLength),
    heads.map((t) => t.name),
    'the frame',
  );
  const values = (k: number): number[] => tensorBytesToValues('FP64', parts[k], heads[k].byteLength / 8, heads[k].name) as number[];
  const outputs: Record<string, OutputTensorDto> = {};
  let k = 1;
  for (const name in outs) {
    const o = outs[name];
    outputs[name] = { dims: o.dims, data: o.tensor ? values(k++) : (o.data ?? []) };
  }
  const { modelVersion, isAnomaly, threshold, timings, worker, explanations, modelVersions } = r as unknown as PredictReply;
  // the JSON reply's key order, so the HTTP body is the same text either way
  const reply: PredictReply = { modelVersion, scores: values(0), isAnomaly, threshold, outputs, timings, worker };
  if (explanations !== undefined) reply.explanations = explanations;
  if (modelVersions !== undefined) reply.modelVersions = modelVersions;
  return reply;
}

function allNumbers(values: ReadonlyArray<unknown>): values is number[] {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'number') return false;
  return true;
}

function typedView(datatype: 'FP64' | 'FP32', bytes: Uint8Array): Float64Array | Float32Array {
  const size = datatype === 'FP64' ? 8 : 4;
  // a view needs an aligned offset; the frame's body follows a JSON head of any length, so copy when it is not
  // (new Uint8Array(view) copies; a Node Buffer's slice would not)
  const aligned = bytes.byteOffset % size === 0 ? bytes : new Uint8Array(bytes);
  return datatype === 'FP64' ? new Float64Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 8) : new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}
