import * as ort from 'onnxruntime-node';
import { LogLensError, type OutputTensorDto, type PredictRow } from '@loglens/contracts';
import { rowsToMatrix } from './rows';

export interface SessionOptions {
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
}

export interface ServingBinding {
  /** `name@N`, used in error messages */
  ref: string;
  inputName: string;
  scoreOutput: string;
  featureNames: string[] | null;
}

export interface PredictResult {
  scores: number[];
  outputs: Record<string, OutputTensorDto>;
}

type TensorMeta = Extract<ort.InferenceSession.ValueMetadata, { isTensor: true }>;

/** One onnxruntime-node session for one model version: feeds request rows, fetches only tensor outputs. */
export class OnnxModelSession {
  private released = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly binding: ServingBinding,
    private readonly input: TensorMeta,
    readonly width: number,
    /** some exporters (2018-era) fix the batch dimension at 1: such models get one run per row */
    readonly fixedBatch: number | null,
    private readonly tensorOutputs: string[],
  ) {}

  static async create(bytes: Uint8Array, binding: ServingBinding, options: SessionOptions = {}): Promise<OnnxModelSession> {
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: options.intraOpNumThreads ?? 1,
      interOpNumThreads: options.interOpNumThreads ?? 1,
      graphOptimizationLevel: 'all',
    });
    try {
      const input = session.inputMetadata.find((m) => m.name === binding.inputName);
      if (!input || !input.isTensor) throw new LogLensError('INVALID_MODEL', `${binding.ref}: input "${binding.inputName}" is not a tensor input`);
      const tensorOutputs = session.outputMetadata.filter((m) => m.isTensor).map((m) => m.name);
      if (!tensorOutputs.includes(binding.scoreOutput)) {
        throw new LogLensError('INVALID_MODEL', `${binding.ref}: score output "${binding.scoreOutput}" is not a tensor output`);
      }
      const last = input.shape[input.shape.length - 1];
      const width = typeof last === 'number' && last > 0 ? last : (binding.featureNames?.length ?? 0);
      if (width <= 0) throw new LogLensError('INVALID_MODEL', `${binding.ref}: cannot tell how many features input "${input.name}" takes`);
      const first = input.shape[0];
      const fixedBatch = input.shape.length >= 2 && typeof first === 'number' && first > 0 ? first : null;
      return new OnnxModelSession(session, binding, input, width, fixedBatch, tensorOutputs);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  /** Validates and scores rows; errors name the row and feature at fault. */
  async predict(rows: PredictRow[]): Promise<PredictResult> {
    if (this.released) throw new LogLensError('UNAVAILABLE', `${this.binding.ref} was unloaded`);
    const matrix = rowsToMatrix(rows, this.width, this.binding.featureNames, this.binding.ref);
    const n = rows.length;
    const step = this.fixedBatch ?? n;
    if (this.fixedBatch !== null && this.fixedBatch !== 1 && n % this.fixedBatch !== 0) {
      throw new LogLensError('VALIDATION_FAILED', `${this.binding.ref} takes batches of exactly ${this.fixedBatch} rows`);
    }
    const parts: Array<Record<string, ort.Tensor>> = [];
    for (let start = 0; start < n; start += step) {
      const slice = matrix.subarray(start * this.width, (start + step) * this.width);
      const feeds = { [this.input.name]: this.tensor(slice, [step, this.width]) };
      parts.push(await this.session.run(feeds, this.tensorOutputs));
    }
    const outputs = Object.fromEntries(this.tensorOutputs.map((name) => [name, concat(parts.map((p) => p[name]))]));
    return { outputs, scores: scoresOf(outputs[this.binding.scoreOutput], n) };
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }

  private tensor(values: Float64Array, dims: number[]): ort.Tensor {
    switch (this.input.type) {
      case 'float32':
        return new ort.Tensor('float32', Float32Array.from(values), dims);
      case 'float64':
        return new ort.Tensor('float64', Float64Array.from(values), dims);
      case 'int64':
        return new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(Math.round(v))), dims);
      case 'int32':
        return new ort.Tensor('int32', Int32Array.from(values, (v) => Math.round(v)), dims);
      default:
        throw new LogLensError('INVALID_MODEL', `${this.binding.ref}: input type ${this.input.type} is not served from numeric rows`);
    }
  }
}

function concat(tensors: ort.Tensor[]): OutputTensorDto {
  const data: number[] = [];
  for (const t of tensors) {
    const values = t.data as ArrayLike<number | bigint | boolean | string>;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      data.push(typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : Number.NaN);
    }
  }
  const dims = [...tensors[0].dims];
  dims[0] = tensors.reduce((sum, t) => sum + (t.dims[0] ?? 1), 0);
  return { dims, data };
}

/**
 * One score per row: a [N] or [N,1] output is the score; a [N,2] output is read as class probabilities and the
 * positive (anomalous) column is the score; wider outputs give their first column.
 */
export function scoresOf(out: OutputTensorDto, rows: number): number[] {
  const perRow = out.data.length / rows;
  if (!Number.isInteger(perRow) || perRow < 1) {
    throw new LogLensError('INVALID_MODEL', `score output has ${out.data.length} values for ${rows} rows`);
  }
  const column = perRow === 2 ? 1 : 0;
  return Array.from({ length: rows }, (_, r) => out.data[r * perRow + column]);
}
