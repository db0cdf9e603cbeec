import * as ort from 'onnxruntime-node';
import { checkTensorBytes, decodeBytesElements, encodeBytesElements, LogLensError, type OutputTensorDto, type PredictRow } from '@loglens/contracts';
import { prepareRows, type PreparedColumn, type PreparedRows } from './rows';
import { describeSession, fixedDim, formatShape, rowLayoutOf, type RowLayout, type SessionSignature, type TensorValueInfo } from './signature';
import {
  allocColumn,
  concatColumns,
  isFeedable,
  kserveDatatypeOf,
  makeTensor,
  show,
  sliceRows,
  tensorValues,
  writeElement,
  type ColumnData,
  type FeedableType,
  type KServeDatatype,
  type OutputValue,
} from './tensor-types';

export interface SessionOptions {
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  /**
   * onnxruntime's own stderr logging: 0 verbose … 3 error (default) … 4 fatal only. Warnings are off by default:
   * sklearn exports log shape-merge warnings on every load, and run errors reach callers as LogLensErrors anyway.
   */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

export interface ServingBinding {
  /** `name@N`, used in error messages */
  ref: string;
  /** the feature-vector input; for models served from named fields (several inputs) it only has to exist */
  inputName: string;
  scoreOutput: string;
  featureNames: string[] | null;
  /**
   * Feature-vector models only: accept null (and NaN) as "missing" and feed NaN, for models that impute.
   * Off by default: a model that does not impute would turn NaN into a confident-looking score. Named-field
   * (multi-input) models always accept null for their float fields.
   */
  allowMissing?: boolean;
}

export interface PredictResult {
  /**
   * One score per row, from the binding's score output: `[N]`/`[N,1]` → the value, `[N,2]` → column 1 (the
   * positive class), wider → column 0. A string score output (a label such as "A") has no numeric score: its
   * scores are NaN, which JSON writes as null; `OnnxModelSession.scoreIsNumeric` says so up front.
   */
  scores: number[];
  /** every tensor output, by name; int64 read as numbers, bool as 0/1, strings as strings */
  outputs: Record<string, OutputTensorDto>;
}

/** A tensor in an Open Inference Protocol (KServe v2) request. `data` is row-major; nested arrays are flattened. */
export interface InferInputTensor {
  name: string;
  /** BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP32, FP64 or BYTES (strings) */
  datatype: string;
  shape: number[];
  data: Array<number | string | boolean | null>;
}

/** A tensor as bytes (the KServe v2 binary data extension's form): little-endian, row-major. */
export interface InferBytesTensor {
  name: string;
  datatype: string;
  shape: number[];
  bytes: Uint8Array;
}

export interface InferOutputTensor {
  name: string;
  datatype: KServeDatatype;
  shape: number[];
  /** FP* NaN are NaN (null in JSON), INT64 are numbers, BOOL are booleans, BYTES are strings */
  data: Array<number | string | boolean | null>;
}

export interface SmokeTestOptions {
  /** how many features a feature-vector input takes when the model does not say (`treecl.onnx`: 20) */
  width?: number;
  /** values for the feature-vector row instead of zeros; its length also sets the width */
  baselineRow?: number[];
}

export type SmokeTestResult =
  | {
      ok: true;
      latencyMs: number;
      /** the outputs fetched (every tensor output) */
      outputs: string[];
      /** the dims fed to each input */
      inputs: Record<string, number[]>;
      /** e.g. a baseline row that could not be applied to this model's inputs */
      notes: string[];
    }
  | { ok: false; error: string };

/** One request's result, or the error that request alone failed with. */
export type PredictOutcome = PredictResult | LogLensError;

/**
 * One onnxruntime-node session for one model version. Serves request rows (`predict`: one feature vector per
 * row, or one named field per input), typed tensors (`infer`), and coalesced requests (`predictPrepared`);
 * fetches only tensor outputs, since onnxruntime-node cannot return ZipMap's `seq(map)`.
 */
export class OnnxModelSession {
  private released = false;
  readonly signature: SessionSignature;
  /** how request rows feed the inputs; `none` means only `infer` can serve the model */
  readonly rowLayout: RowLayout;
  readonly tensorOutputs: readonly string[];
  private readonly preparedHere = new WeakSet<PreparedRows>();
  private readonly numericScore: boolean;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly binding: ServingBinding,
  ) {
    this.signature = describeSession(session);
    this.rowLayout = rowLayoutOf(this.signature.inputs, binding.featureNames, binding.ref);
    this.tensorOutputs = this.signature.outputs.filter((o) => o.isTensor).map((o) => o.name);
    const score = this.signature.outputs.find((o) => o.name === binding.scoreOutput);
    this.numericScore = score?.isTensor === true && score.type !== 'string';
  }

  static async create(bytes: Uint8Array, binding: ServingBinding, options: SessionOptions = {}): Promise<OnnxModelSession> {
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      interOpNumThreads: options.interOpNumThreads ?? 1,
      graphOptimizationLevel: 'all',
      logSeverityLevel: options.logSeverityLevel ?? 3,
    });
    try {
      const input = session.inputMetadata.find((m) => m.name === binding.inputName);
      if (!input || !input.isTensor) throw new LogLensError('INVALID_MODEL', `${binding.ref}: input "${binding.inputName}" is not a tensor input`);
      const score = session.outputMetadata.find((m) => m.name === binding.scoreOutput);
      if (!score || !score.isTensor) {
        throw new LogLensError('INVALID_MODEL', `${binding.ref}: score output "${binding.scoreOutput}" is not a tensor output`);
      }
      return new OnnxModelSession(session, binding);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  get inputMetadata(): readonly ort.InferenceSession.ValueMetadata[] {
    return this.session.inputMetadata;
  }

  get outputMetadata(): readonly ort.InferenceSession.ValueMetadata[] {
    return this.session.outputMetadata;
  }

  /** Features per row of the feature-vector input; null for named-field models and when the rows decide. */
  get width(): number | null {
    return this.rowLayout.kind === 'vector' ? this.rowLayout.width : null;
  }

  /** Some exporters (2018-era) fix the batch dimension: such models get one run per that many rows. */
  get fixedBatch(): number | null {
    return this.rowLayout.kind === 'none' ? null : this.rowLayout.fixedBatch;
  }

  /** False when the score output holds strings (class labels): scores are then NaN and no threshold applies. */
  /** whether the score output has an order to compare with a threshold (string labels do not); fixed per session */
  get scoreIsNumeric(): boolean {
    return this.numericScore;
  }

  /**
   * Validates rows and converts them to typed columns, so a bad request fails on its own before it joins a
   * batch. Errors are VALIDATION_FAILED and name the row and the feature or field.
   */
  prepare(rows: readonly PredictRow[]): PreparedRows {
    this.assertLoaded();
    const prepared = prepareRows(rows, this.rowLayout, { ref: this.binding.ref, allowMissing: this.binding.allowMissing });
    this.preparedHere.add(prepared);
    return prepared;
  }

  /** Validates and scores rows; errors name the row and the feature or field at fault. */
  async predict(rows: PredictRow[]): Promise<PredictResult> {
    const [result] = await this.predictPrepared([this.prepare(rows)]);
    if (result instanceof Error) throw result;
    return result;
  }

  /**
   * Scores several requests' rows in as few runs as possible and hands each request its own slice of every
   * output. Throws the first request's error if any request is invalid or fails.
   */
  async predictBatched(requests: ReadonlyArray<readonly PredictRow[]>): Promise<PredictResult[]> {
    const prepared = requests.map((rows, i) => {
      try {
        return this.prepare(rows);
      } catch (e) {
        if (e instanceof LogLensError) throw new LogLensError(e.code, `request ${i}: ${e.message}`, e.details);
        throw e;
      }
    });
    const results = await this.predictPrepared(prepared);
    return results.map((r) => {
      if (r instanceof Error) throw r;
      return r;
    });
  }

  /**
   * Runs prepared requests together: requests of the same shape are concatenated into one run (one run per
   * fixed batch for 2018-era models), and outputs are split back by row range. Returns one outcome per request,
   * in order: if a combined run fails, its requests are retried one by one so an error lands only on the
   * request that caused it.
   */
  async predictPrepared(batch: readonly PreparedRows[]): Promise<PredictOutcome[]> {
    const outcomes = new Array<PredictOutcome>(batch.length);
    const groups = new Map<string, number[]>();
    batch.forEach((p, i) => {
      if (!this.preparedHere.has(p)) {
        outcomes[i] = new LogLensError('INTERNAL', `${this.binding.ref}: rows were prepared by another session`);
        return;
      }
      const group = groups.get(p.shapeKey) ?? [];
      group.push(i);
      groups.set(p.shapeKey, group);
    });
    for (const indices of groups.values()) {
      try {
        const results = await this.runGroup(indices.map((i) => batch[i]));
        indices.forEach((i, k) => (outcomes[i] = results[k]));
      } catch (e) {
        if (indices.length === 1 || this.released) {
          for (const i of indices) outcomes[i] = asLogLensError(e);
          continue;
        }
        for (const i of indices) {
          try {
            outcomes[i] = (await this.runGroup([batch[i]]))[0];
          } catch (alone) {
            outcomes[i] = asLogLensError(alone);
          }
        }
      }
    }
    return outcomes;
  }

  /**
   * Open Inference Protocol inference: typed tensors in, typed tensors out. Every model input must be given with
   * the model's datatype and a shape that fits the declared one; `outputNames` defaults to every tensor output.
   */
  async infer(inputs: readonly InferInputTensor[], outputNames?: readonly string[]): Promise<InferOutputTensor[]> {
    this.assertLoaded();
    const bad = (message: string) => new LogLensError('VALIDATION_FAILED', message);
    if (!Array.isArray(inputs)) throw bad('inputs must be an array of {name, datatype, shape, data} tensors');
    const feeds: Record<string, ort.Tensor> = {};
    inputs.forEach((t: InferInputTensor, k) => {
      const { type, dims } = this.checkInferInput(t, k, feeds);
      if (!Array.isArray(t.data)) throw bad(`input "${t.name}": data must be an array`);
      const values: unknown[] = t.data.some((v) => Array.isArray(v)) ? (t.data as unknown[]).flat(Infinity) : t.data;
      const size = dims.reduce((n, d) => n * d, 1);
      if (values.length !== size) throw bad(`input "${t.name}": shape ${formatShape(dims)} holds ${size} values, got ${values.length}`);
      const column = allocColumn(type, size);
      for (let i = 0; i < size; i++) {
        // KServe's JSON has no NaN: null stands for it in float tensors
        const why = writeElement(column, i, type, values[i], 'nullable');
        if (why) throw bad(`input "${t.name}", element ${i}: ${why}`);
      }
      feeds[t.name] = makeTensor(type, column, dims);
    });
    const out = await this.runInfer(feeds, outputNames);
    return out.map(({ name, datatype, tensor: t }) => ({ name, datatype, shape: [...t.dims], data: tensorValues(t, 'boolean') }));
  }

  /**
   * `infer` with every tensor as bytes (the KServe v2 binary form: little-endian, row-major; BOOL one byte; BYTES a
   * 4-byte length before each element): each input's tensor is built on its bytes (a view; copied only when they are
   * not aligned to the element size), and each output's bytes are its tensor's own buffer.
   */
  async inferBytes(inputs: readonly InferBytesTensor[], outputNames?: readonly string[]): Promise<InferBytesTensor[]> {
    this.assertLoaded();
    const bad = (message: string) => new LogLensError('VALIDATION_FAILED', message);
    if (!Array.isArray(inputs)) throw bad('inputs must be an array of {name, datatype, shape} tensors');
    const feeds: Record<string, ort.Tensor> = {};
    inputs.forEach((t, k) => {
      const { type, dims } = this.checkInferInput(t, k, feeds);
      if (!(t.bytes instanceof Uint8Array)) throw bad(`input "${t.name}": no bytes`);
      const count = checkTensorBytes(t.name, t.datatype, dims, t.bytes.byteLength);
      feeds[t.name] = makeTensor(type, columnOfBytes(type, t.bytes, count, t.name), dims);
    });
    const out = await this.runInfer(feeds, outputNames);
    return out.map(({ name, datatype, tensor: t }) => ({ name, datatype, shape: [...t.dims], bytes: bytesOfTensor(t, name) }));
  }

  /** One KServe input checked against the model's: known, given once, feedable, its datatype, a fitting shape. */
  private checkInferInput(t: { name: string; datatype: string; shape: number[] }, k: number, feeds: Record<string, ort.Tensor>): { type: FeedableType; dims: number[] } {
    const bad = (message: string) => new LogLensError('VALIDATION_FAILED', message);
    if (typeof t !== 'object' || t === null || typeof t.name !== 'string') throw bad(`inputs[${k}] must be a {name, datatype, shape, data} tensor`);
    const meta = this.signature.inputs.find((i) => i.name === t.name);
    if (!meta) throw bad(`unknown input "${t.name}" (model inputs: ${this.signature.inputs.map((i) => i.name).join(', ')})`);
    if (feeds[t.name]) throw bad(`input "${t.name}" is given twice`);
    if (!meta.isTensor || !isFeedable(meta.type)) throw bad(`input "${t.name}" is ${meta.type ?? 'not a tensor'}, which this runtime cannot feed`);
    const want = kserveDatatypeOf(meta.type);
    if (t.datatype !== want) throw bad(`input "${t.name}": the model takes ${want}, got datatype ${show(t.datatype)}`);
    const shape: unknown = t.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw bad(`input "${t.name}": shape must be an array of non-negative integers, got ${show(shape)}`);
    }
    const dims = shape as number[];
    if (!fits(dims, meta.shape)) throw bad(`input "${t.name}": shape ${formatShape(dims)} does not fit the model's ${formatShape(meta.shape)}`);
    return { type: meta.type, dims };
  }

  /** Every model input fed, the outputs checked and run: each fetched output with its KServe datatype. */
  private async runInfer(feeds: Record<string, ort.Tensor>, outputNames?: readonly string[]): Promise<Array<{ name: string; datatype: KServeDatatype; tensor: ort.Tensor }>> {
    const inputList = this.signature.inputs.map((i) => i.name);
    const missing = inputList.filter((name) => !feeds[name]);
    if (missing.length) throw new LogLensError('VALIDATION_FAILED', `missing input(s) ${missing.join(', ')} (model inputs: ${inputList.join(', ')})`);
    const fetch = outputNames === undefined ? [...this.tensorOutputs] : this.checkOutputNames(outputNames);
    if (fetch.length === 0) throw new LogLensError('INVALID_MODEL', `${this.binding.ref} has no tensor output that onnxruntime-node can return`);
    const out = await this.run(feeds, fetch);
    return fetch.map((name) => {
      const t = out[name];
      const datatype = kserveDatatypeOf(t.type);
      if (!datatype) throw new LogLensError('INVALID_MODEL', `${this.binding.ref}: output "${name}" is ${t.type}, which has no inference-protocol datatype`);
      return { name, datatype, tensor: t };
    });
  }

  /**
   * Feeds one row of zeros ("" for strings, false for bools) to every input and fetches every tensor output: a
   * model that loads may still fail to run (`treecl.onnx` declares [?,?] but reads 20 features). Symbolic and
   * unnamed dims become 1, except the feature dim of a single [N,F] input, which takes `width` or the baseline
   * row's length. Never throws.
   */
  async smokeTest(options: SmokeTestOptions = {}): Promise<SmokeTestResult> {
    try {
      if (this.released) return { ok: false, error: `${this.binding.ref} was unloaded` };
      const { width, baselineRow } = options;
      if (width !== undefined && (!Number.isSafeInteger(width) || width < 1)) return { ok: false, error: `width must be a positive integer, got ${show(width)}` };
      if (width !== undefined && baselineRow && baselineRow.length !== width) {
        return { ok: false, error: `the baseline row has ${baselineRow.length} values but width is ${width}` };
      }
      const inputs = this.signature.inputs;
      const single = inputs.length === 1;
      const featureWidth = width ?? baselineRow?.length ?? this.width ?? null;
      const feeds: Record<string, ort.Tensor> = {};
      const fed: Record<string, number[]> = {};
      const notes: string[] = [];
      for (const input of inputs) {
        if (!input.isTensor || !isFeedable(input.type)) {
          return { ok: false, error: `input "${input.name}" is ${input.type ?? 'not a tensor'}, which onnxruntime-node cannot be fed here` };
        }
        const shape = input.shape.length === 0 ? [null, null] : input.shape;
        const isVector = single && shape.length >= 2;
        const last = shape.length - 1;
        const declared = fixedDim(shape[last]);
        if (isVector && featureWidth !== null && declared !== null && declared !== featureWidth) {
          return { ok: false, error: `input "${input.name}" takes ${declared} features per row, not ${featureWidth}` };
        }
        const dims = shape.map((d, i) => fixedDim(d) ?? (isVector && i === last && featureWidth !== null ? featureWidth : 1));
        const column = allocColumn(input.type, dims.reduce((n, d) => n * d, 1));
        if (baselineRow) {
          if (isVector && input.type !== 'string' && input.type !== 'bool' && dims[last] === baselineRow.length) {
            for (let i = 0; i < column.length; i++) {
              const why = writeElement(column, i, input.type, baselineRow[i % baselineRow.length], 'finite');
              if (why) return { ok: false, error: `baseline row, feature #${i % baselineRow.length}: ${why}` };
            }
          } else {
            notes.push(`the baseline row does not fit input "${input.name}" ${input.type}${formatShape(input.shape)}; zeros were fed`);
          }
        }
        feeds[input.name] = makeTensor(input.type, column, dims);
        fed[input.name] = dims;
      }
      const fetch = [...this.tensorOutputs];
      if (fetch.length === 0) return { ok: false, error: 'the model has no tensor output that onnxruntime-node can return' };
      const started = performance.now();
      const out = await this.session.run(feeds, fetch);
      const latencyMs = performance.now() - started;
      const absent = fetch.filter((name) => !out[name]);
      if (absent.length) return { ok: false, error: `onnxruntime returned no value for ${absent.join(', ')}` };
      return { ok: true, latencyMs, outputs: fetch, inputs: fed, notes };
    } catch (e) {
      return { ok: false, error: ortMessage(e) };
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }

  private assertLoaded(): void {
    if (this.released) throw new LogLensError('UNAVAILABLE', `${this.binding.ref} was unloaded`);
  }

  private checkOutputNames(names: readonly string[]): string[] {
    const bad = (message: string) => new LogLensError('VALIDATION_FAILED', message);
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw bad('outputs must be a list of output names');
    const tensorList = this.tensorOutputs.join(', ') || 'none';
    for (const name of names) {
      const meta = this.signature.outputs.find((o) => o.name === name);
      if (!meta) throw bad(`unknown output "${name}" (model outputs: ${this.signature.outputs.map((o) => o.name).join(', ')})`);
      if (!meta.isTensor) {
        throw bad(`output "${name}" is not a tensor (a sequence of maps, e.g. skl2onnx's ZipMap) and onnxruntime-node cannot return it; tensor outputs: ${tensorList}`);
      }
    }
    return [...new Set(names)];
  }

  private async run(feeds: Record<string, ort.Tensor>, fetch: readonly string[]): Promise<Record<string, ort.Tensor>> {
    this.assertLoaded();
    try {
      return await this.session.run(feeds, [...fetch]);
    } catch (e) {
      // the inputs passed validation, so what is left is the model refusing these values or shapes: a MODEL_ERROR
      // counts against a newly deployed version's error rate (its predecessor may have run the same inputs)
      throw new LogLensError('MODEL_ERROR', `${this.binding.ref}: onnxruntime could not run these inputs: ${ortMessage(e)}`, [rawMessage(e)]);
    }
  }

  /** One run (or one per fixed batch) over the concatenated rows of requests of one shape. */
  private async runGroup(items: readonly PreparedRows[]): Promise<PredictResult[]> {
    const total = items.reduce((n, p) => n + p.count, 0);
    const columns: PreparedColumn[] = items[0].columns.map((c, j) => ({ ...c, data: concatColumns(c.type, items.map((p) => p.columns[j].data)) }));
    const step = this.fixedBatch ?? total;
    const parts: Array<{ rows: number; out: Record<string, ort.Tensor> }> = [];
    for (let start = 0; start < total; start += step) {
      const rows = Math.min(step, total - start);
      const feeds: Record<string, ort.Tensor> = {};
      for (const c of columns) {
        const data = rows === total ? c.data : sliceRows(c.data, c.perRow, start, start + rows);
        feeds[c.name] = makeTensor(c.type, data, c.rank === 1 ? [rows] : [rows, c.perRow]);
      }
      parts.push({ rows, out: await this.run(feeds, this.tensorOutputs) });
    }

    const merged = new Map<string, { dims: number[]; data: OutputValue[]; perRow: number | null }>();
    for (const name of this.tensorOutputs) {
      const tensors = parts.map((p) => p.out[name]);
      const aligned = tensors.every((t, i) => t.dims.length >= 1 && t.dims[0] === parts[i].rows);
      if (!aligned && (parts.length > 1 || items.length > 1)) {
        throw new LogLensError(
          'INVALID_MODEL',
          `${this.binding.ref}: output "${name}" came back as ${formatShape([...tensors[0].dims])} for ${parts[0].rows} rows, so it cannot be split by row`,
        );
      }
      const rest = tensors[0].dims.slice(1);
      merged.set(name, {
        dims: aligned ? [total, ...rest] : [...tensors[0].dims],
        data: tensors.flatMap((t) => tensorValues(t, 'number')),
        perRow: aligned ? rest.reduce((n, d) => n * d, 1) : null,
      });
    }

    let offset = 0;
    return items.map((item) => {
      const outputs: Record<string, OutputTensorDto> = {};
      for (const [name, m] of merged) {
        const data = (items.length === 1 || m.perRow === null ? m.data : m.data.slice(offset * m.perRow, (offset + item.count) * m.perRow)) as Array<number | string>;
        outputs[name] = { dims: items.length === 1 ? m.dims : [item.count, ...m.dims.slice(1)], data };
      }
      offset += item.count;
      return { outputs, scores: scoresOf(outputs[this.binding.scoreOutput], item.count) };
    });
  }
}

/** A request shape fits a declared shape of the same rank whose fixed dims it repeats; `[]` declares nothing. */
/** Typed-array classes by element type (bool: one byte per element, as onnxruntime-node holds it). */
const ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
} as const;

/** A tensor's column on its bytes: a view when aligned (typed arrays need offsets in whole elements), else a copy. */
function columnOfBytes(type: FeedableType, bytes: Uint8Array, count: number, name: string): ColumnData {
  if (type === 'string') return decodeBytesElements(bytes, count, name);
  const Ctor = ARRAYS[type];
  // new Uint8Array(bytes) copies (a Buffer's slice would not)
  const aligned = bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0 ? bytes : new Uint8Array(bytes);
  return new Ctor(aligned.buffer as ArrayBuffer, aligned.byteOffset, count);
}

/** An output tensor's bytes: a view of its own buffer (strings: the BYTES form). */
function bytesOfTensor(t: ort.Tensor, name: string): Uint8Array {
  const data = t.data as unknown;
  if (Array.isArray(data)) return encodeBytesElements(data.map(String));
  if (!ArrayBuffer.isView(data)) throw new LogLensError('INVALID_MODEL', `output "${name}" has no byte buffer`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function fits(dims: readonly number[], declared: TensorValueInfo['shape'] | null): boolean {
  if (!declared || declared.length === 0) return true;
  return dims.length === declared.length && declared.every((d, i) => fixedDim(d) === null || d === dims[i]);
}

function asLogLensError(e: unknown): LogLensError {
  if (e instanceof LogLensError) return e;
  return new LogLensError('INTERNAL', e instanceof Error ? e.message : String(e));
}

function rawMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * onnxruntime's message without the C++ source location and template signature it embeds
 * ("/onnxruntime_src/…/tree_ensemble_common.h:624 void onnxruntime::…::ComputeAgg(…) const [with …] One path…").
 */
export function ortMessage(e: unknown): string {
  let message = rawMessage(e);
  const at = message.search(/\/onnxruntime_src\/\S+:\d+ /);
  if (at >= 0) {
    const head = message.slice(0, at);
    let rest = message.slice(at).replace(/^\S+:\d+ /, '');
    // what follows the location is the throwing function's signature; the readable part comes after it
    const templated = rest.indexOf('] ', rest.indexOf(' [with '));
    const plain = /^[^(]*::[^(]*\([^)]*\)(?: const)? /.exec(rest);
    if (rest.includes(' [with ') && templated > 0) rest = rest.slice(templated + 2);
    else if (plain) rest = rest.slice(plain[0].length);
    message = head + rest;
  }
  return message.replace(/\s+/g, ' ').trim();
}

/**
 * One score per row: a [N] or [N,1] output is the score; a [N,2] output is read as class probabilities and the
 * positive (anomalous) column is the score; wider outputs give their first column (which class is "anomalous"
 * in a multi-class model is not something the runtime can know). String values give NaN (null in JSON).
 */
export function scoresOf(out: OutputTensorDto, rows: number): number[] {
  const perRow = out.data.length / rows;
  if (!Number.isInteger(perRow) || perRow < 1) {
    throw new LogLensError('INVALID_MODEL', `score output has ${out.data.length} values for ${rows} rows`);
  }
  const column = perRow === 2 ? 1 : 0;
  return Array.from({ length: rows }, (_, r) => {
    const v = out.data[r * perRow + column];
    return typeof v === 'number' ? v : Number.NaN;
  });
}
