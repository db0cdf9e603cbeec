import type {
  AliasReply,
  AnalyzeReply,
  ApiKeyDto,
  ApiKeyRole,
  CommitUploadReply,
  CreatedApiKeyReply,
  CurrentVersionsReply,
  DeployVersionReply,
  DriftReportReply,
  ErrorBody,
  ExperimentAction,
  ExperimentDto,
  GetVersionReply,
  HistoryReply,
  HistoryRequest,
  JobDto,
  ListApiKeysReply,
  ListAuditReply,
  ListAuditRequest,
  ListDeadLettersReply,
  ListDeadLettersRequest,
  ListJobsRequest,
  ListModelsReply,
  ListResultsReply,
  ListResultsRequest,
  LoadVersionReply,
  LogRecordInput,
  ModelVersionDto,
  PerformanceReply,
  PredictReply,
  PredictRow,
  PublicReadinessDto,
  ReadinessDto,
  SourceBindingDto,
  ValidationReportDto,
  V2InferReply,
  V2LiveReply,
  V2ModelMetadataReply,
  V2ReadyReply,
  WhoAmIReply,
} from '@loglens/contracts';
import { LogLensApiError, LogLensUnreachableError } from './errors';
import {
  type AnalyzeAgent,
  type UploadParts,
  type ChangeOptions,
  type CreateExperimentBody,
  type DriftQuery,
  EVENTS_PATH,
  type FormPart,
  isIdempotent,
  type PredictOptions,
  type Query,
  queryString,
  type Route,
  routes,
  type TrainBody,
  type V2InputTensor,
} from './routes';
import { parseEventStream, type ServerEvent } from './sse';

export interface LogLensClientOptions {
  /** e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  apiKey?: string;
  /** tries after the first for idempotent calls (GET, PUT, DELETE) on a network error, 429, 502, 503 or 504; default 3 */
  retries?: number;
  /** first backoff delay in ms, doubled each try (plus jitter); default 200 */
  backoffMs?: number;
  /** per request, ms; default 120 000 (an analysis of 50 000 records can take a while) */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface UploadProgress {
  sent: number;
  total: number;
}

export interface SendOptions {
  /** multipart bodies: called as chunks are handed to the connection */
  onProgress?: (p: UploadProgress) => void;
  /** multipart bodies: bytes per chunk of the streamed body; default 64 KiB */
  chunkBytes?: number;
}

export interface UploadOptions extends SendOptions, UploadParts {}


const RETRY_STATUS = new Set([429, 502, 503, 504]);

/**
 * Typed client of the LogLens gateway's REST API. No framework dependency: it runs in Node ≥ 20 and browsers (fetch).
 * Each method runs one route of `routes` (routes.ts), the table the Angular console runs with its own HttpClient.
 */
export class LogLensClient {
  private readonly base: string;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: LogLensClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 200;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  // ---- models (/api/v1/models)
  listModels(): Promise<ListModelsReply> {
    return this.send(routes.models.list());
  }
  currentVersions(): Promise<CurrentVersionsReply> {
    return this.send(routes.models.current());
  }
  getVersion(ref: string): Promise<GetVersionReply> {
    return this.send(routes.models.get(ref));
  }
  predict(opts: PredictOptions): Promise<PredictReply> {
    return this.send(routes.models.predict(opts));
  }
  explain(ref: string, rows: PredictRow[], timeoutMs?: number): Promise<PredictReply> {
    return this.send(routes.models.explain(ref, rows, timeoutMs));
  }
  load(ref: string): Promise<LoadVersionReply> {
    return this.send(routes.models.load(ref));
  }
  unload(ref: string): Promise<LoadVersionReply> {
    return this.send(routes.models.unload(ref));
  }

  // ---- lifecycle (/model-management)
  /** Streams a multipart upload; `onProgress` sees the bytes handed to the connection. */
  upload(model: string, opts: UploadOptions): Promise<CommitUploadReply> {
    const { onProgress, chunkBytes, ...parts } = opts;
    return this.send(routes.lifecycle.upload(model, parts), { ...(onProgress ? { onProgress } : {}), ...(chunkBytes ? { chunkBytes } : {}) });
  }
  validate(ref: string): Promise<ValidationReportDto> {
    return this.send(routes.lifecycle.validate(ref));
  }
  validation(ref: string): Promise<ValidationReportDto> {
    return this.send(routes.lifecycle.validation(ref));
  }
  deploy(ref: string, opts: ChangeOptions = {}): Promise<DeployVersionReply> {
    return this.send(routes.lifecycle.deploy(ref, opts));
  }
  rollback(opts: { model: string; to?: string } & ChangeOptions): Promise<DeployVersionReply> {
    return this.send(routes.lifecycle.rollback(opts));
  }
  history(query: HistoryRequest = {}): Promise<HistoryReply> {
    return this.send(routes.lifecycle.history(query));
  }
  setAlias(model: string, alias: string, version: string, opts: ChangeOptions = {}): Promise<AliasReply> {
    return this.send(routes.lifecycle.setAlias(model, alias, version, opts));
  }
  deleteAlias(model: string, alias: string): Promise<AliasReply> {
    return this.send(routes.lifecycle.deleteAlias(model, alias));
  }
  archive(ref: string): Promise<ModelVersionDto> {
    return this.send(routes.lifecycle.archive(ref));
  }
  setTags(ref: string, tags: string[]): Promise<ModelVersionDto> {
    return this.send(routes.lifecycle.setTags(ref, tags));
  }
  drift(ref: string, query: DriftQuery = {}): Promise<DriftReportReply> {
    return this.send(routes.monitoring.drift(ref, query));
  }
  performance(): Promise<PerformanceReply> {
    return this.send(routes.monitoring.performance());
  }

  // ---- training jobs and sources
  train(model: string, params: TrainBody): Promise<JobDto> {
    return this.send(routes.sources.train(model, params));
  }
  jobs(query: ListJobsRequest = {}): Promise<JobDto[]> {
    return this.send(routes.sources.jobs(query));
  }
  job(id: string): Promise<JobDto> {
    return this.send(routes.sources.job(id));
  }
  sources(): Promise<SourceBindingDto[]> {
    return this.send(routes.sources.bindings());
  }
  bindSource(source: string, model: string, reason?: string): Promise<SourceBindingDto> {
    return this.send(routes.sources.bind(source, model, reason));
  }
  unbindSource(source: string, reason?: string): Promise<SourceBindingDto> {
    return this.send(routes.sources.unbind(source, reason));
  }

  // ---- experiments
  createExperiment(spec: CreateExperimentBody): Promise<ExperimentDto> {
    return this.send(routes.experiments.create(spec));
  }
  listExperiments(query: { model?: string; state?: string } = {}): Promise<ExperimentDto[]> {
    return this.send(routes.experiments.list(query as Parameters<typeof routes.experiments.list>[0]));
  }
  getExperiment(id: string): Promise<ExperimentDto> {
    return this.send(routes.experiments.get(id));
  }
  experimentReport(id: string): Promise<Record<string, unknown>> {
    return this.send(routes.experiments.report(id));
  }
  changeExperiment(id: string, action: ExperimentAction, body: { reason?: string; version?: string } = {}): Promise<ExperimentDto> {
    return this.send(routes.experiments.change(id, action, body));
  }

  // ---- analysis
  analyze(records: LogRecordInput[], query: { agent?: AnalyzeAgent; source?: string } = {}): Promise<AnalyzeReply> {
    return this.send(routes.analysis.analyze(records, query));
  }
  results(query: ListResultsRequest = {}): Promise<ListResultsReply> {
    return this.send(routes.analysis.results(query));
  }
  deadLetters(query: ListDeadLettersRequest = {}): Promise<ListDeadLettersReply> {
    return this.send(routes.analysis.deadLetters(query));
  }

  // ---- auth and health
  whoami(): Promise<WhoAmIReply> {
    return this.send(routes.auth.whoami());
  }
  keys(): Promise<ListApiKeysReply> {
    return this.send(routes.auth.keys());
  }
  createKey(name: string, role: ApiKeyRole): Promise<CreatedApiKeyReply> {
    return this.send(routes.auth.createKey(name, role));
  }
  revokeKey(id: string): Promise<ApiKeyDto> {
    return this.send(routes.auth.revokeKey(id));
  }
  audit(query: ListAuditRequest = {}): Promise<ListAuditReply> {
    return this.send(routes.auth.audit(query));
  }
  /** The readiness body, also when the gateway answers 503 (not ready): that body says what is missing. */
  async readiness(): Promise<ReadinessDto | PublicReadinessDto> {
    try {
      return await this.send(routes.health.ready());
    } catch (e) {
      if (e instanceof LogLensApiError && e.status === 503 && isReadiness(e.raw)) return e.raw;
      throw e;
    }
  }

  // ---- KServe v2
  /**
   * KServe v2 infer with the binary data extension: each input's typed array goes as its little-endian bytes after the
   * JSON header (no number is formatted), and with `binaryOutputs` the outputs come back as bytes (`bytes`, copy them
   * into the typed array of their datatype) instead of `data`. Not retried (a POST), as v2Infer.
   */
  async v2InferBinary(name: string, inputs: V2BinaryInputTensor[], opts: { version?: string; id?: string; outputs?: string[]; binaryOutputs?: boolean } = {}): Promise<V2BinaryInferReply> {
    const path = routes.v2.inferPath(name, opts.version);
    const header = {
      ...(opts.id ? { id: opts.id } : {}),
      inputs: inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, parameters: { binary_data_size: t.data.byteLength } })),
      ...(opts.outputs ? { outputs: opts.outputs.map((n) => ({ name: n })) } : {}),
      ...(opts.binaryOutputs ? { parameters: { binary_data_output: true } } : {}),
    };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const body = new Uint8Array(json.length + inputs.reduce((n, t) => n + t.data.byteLength, 0));
    body.set(json, 0);
    let at = json.length;
    for (const t of inputs) {
      body.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
      at += t.data.byteLength;
    }
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path, {
        method: 'POST',
        headers: { ...this.authHeaders(), accept: 'application/json, application/octet-stream', 'content-type': 'application/octet-stream', 'inference-header-content-length': String(json.length) },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new LogLensUnreachableError(this.base, e);
    }
    if (!res.ok) throw await apiError(res, 'POST', path);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const length = res.headers.get('inference-header-content-length');
    const n = length === null ? bytes.length : Number(length);
    const reply = JSON.parse(new TextDecoder().decode(bytes.subarray(0, n))) as V2BinaryInferReply;
    let from = n;
    for (const o of reply.outputs) {
      const size = o.parameters?.binary_data_size;
      if (size === undefined) continue;
      o.bytes = bytes.slice(from, from + size);
      from += size;
    }
    return reply;
  }

  v2Live(): Promise<V2LiveReply> {
    return this.send(routes.v2.live());
  }
  v2Ready(): Promise<V2ReadyReply> {
    return this.send(routes.v2.ready());
  }
  v2Metadata(name: string, version?: string): Promise<V2ModelMetadataReply> {
    return this.send(routes.v2.metadata(name, version));
  }
  v2Infer(name: string, inputs: V2InputTensor[], opts: { version?: string; id?: string; outputs?: string[] } = {}): Promise<V2InferReply> {
    return this.send(routes.v2.infer(name, inputs, opts));
  }

  // ---- events
  /**
   * The gateway's server-sent events as an async iterator. The key travels in the `x-api-key` header (never in the URL,
   * where proxies and logs would keep it). Stop by breaking out of the loop or aborting `signal`.
   */
  async *events(signal?: AbortSignal): AsyncGenerator<ServerEvent> {
    const url = this.base + EVENTS_PATH;
    let res: Response;
    try {
      res = await this.fetchFn(url, { headers: { ...this.authHeaders(), accept: 'text/event-stream' }, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (signal?.aborted) return;
      throw new LogLensUnreachableError(this.base, e);
    }
    if (!res.ok) throw await apiError(res, 'GET', EVENTS_PATH);
    if (!res.body) return;
    try {
      for await (const event of parseEventStream(res.body as unknown as AsyncIterable<Uint8Array>)) yield event;
    } catch (e) {
      if (signal?.aborted) return;
      throw e;
    }
  }

  /**
   * Runs one route of `routes`: JSON or a streamed multipart body, retries when the route is idempotent, the reply
   * parsed as JSON. Throws LogLensApiError on a non-2xx answer, LogLensUnreachableError when nothing answers.
   */
  async send<T>(route: Route<T>, opts: SendOptions = {}): Promise<T> {
    const raw = route.form ? multipart(await bytesOf(route.form), opts.chunkBytes ?? 64 * 1024, opts.onProgress) : undefined;
    return this.request<T>(route.method, route.path, {
      ...(route.query ? { query: route.query } : {}),
      ...(route.body !== undefined ? { body: route.body } : {}),
      ...(route.headers ? { headers: { ...route.headers } } : {}),
      ...(raw ? { raw } : {}),
      retry: isIdempotent(route),
    });
  }

  /** Any path (starting with `/`), for routes newer than this client. Retries GET, PUT and DELETE. */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = this.base + path + queryString(opts.query);
    const retries = (opts.retry ?? (method !== 'POST' && !opts.raw)) ? this.retries : 0;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json', ...this.authHeaders(), ...opts.headers };
      let body: BodyInit | undefined;
      if (opts.raw) {
        body = opts.raw.body;
        headers['content-type'] = opts.raw.contentType;
        headers['content-length'] = String(opts.raw.length);
      } else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      let res: Response;
      try {
        res = await this.fetchFn(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          ...(opts.raw ? { duplex: 'half' } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        } as RequestInit);
      } catch (e) {
        if (attempt < retries) {
          await this.backoff(attempt);
          continue;
        }
        throw new LogLensUnreachableError(this.base, e);
      }
      if (res.ok) {
        const text = await res.text();
        return (text ? JSON.parse(text) : undefined) as T;
      }
      if (attempt < retries && RETRY_STATUS.has(res.status)) {
        await res.body?.cancel();
        await this.backoff(attempt, res.headers.get('retry-after'));
        continue;
      }
      throw await apiError(res, method, path);
    }
  }

  private authHeaders(): Record<string, string> {
    return this.options.apiKey ? { 'x-api-key': this.options.apiKey } : {};
  }

  private backoff(attempt: number, retryAfter?: string | null): Promise<void> {
    const hinted = retryAfter && /^\d+$/.test(retryAfter) ? Math.min(Number(retryAfter) * 1000, 10_000) : 0;
    const ms = Math.max(hinted, this.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5));
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** An input of v2InferBinary: its elements as a typed array of its datatype (Float32Array for FP32, …), row-major. */
export interface V2BinaryInputTensor {
  name: string;
  shape: number[];
  datatype: string;
  data: ArrayBufferView;
}

/** The reply of v2InferBinary: outputs asked as binary have `bytes` (little-endian) and `parameters.binary_data_size`. */
export interface V2BinaryInferReply {
  model_name: string;
  model_version: string;
  id?: string;
  outputs: Array<{ name: string; datatype: string; shape: number[]; data?: Array<number | string | boolean | null>; parameters?: { binary_data_size?: number }; bytes?: Uint8Array }>;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** a pre-encoded body (multipart) with its content type */
  raw?: { body: BodyInit; contentType: string; length: number };
  /** retry on a network error or 429/502/503/504; default: for methods other than POST without a raw body */
  retry?: boolean;
}

/** The keyed readiness body (every service) or the public one (`{status}` only). */
function isReadiness(value: unknown): value is ReadinessDto | PublicReadinessDto {
  return typeof value === 'object' && value !== null && ('services' in value || 'status' in value);
}

/** File parts as bytes (a browser Blob is read once here; Node passes Uint8Array). */
async function bytesOf(form: readonly FormPart[]): Promise<Part[]> {
  return Promise.all(
    form.map(async (p): Promise<Part> => ('text' in p ? { name: p.name, text: p.text } : { name: p.name, filename: p.filename, bytes: p.data instanceof Uint8Array ? p.data : new Uint8Array(await p.data.arrayBuffer()) })),
  );
}

async function apiError(res: Response, method: string, path: string): Promise<LogLensApiError> {
  const text = await res.text().catch(() => '');
  let raw: unknown = null;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = null;
  }
  const body = isErrorBody(raw) ? raw : null;
  return new LogLensApiError(res.status, body, method, path, raw);
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).message === 'string';
}

type Part = { name: string; filename: string; bytes: Uint8Array } | { name: string; text: string };

/** A multipart/form-data body as a stream of chunks, so a large model is neither copied whole nor sent unobserved. */
function multipart(parts: Part[], chunkBytes: number, onProgress?: (p: UploadProgress) => void): { body: ReadableStream<Uint8Array>; contentType: string; length: number } {
  const boundary = `----loglens${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const te = new TextEncoder();
  const pieces: Uint8Array[] = [];
  for (const p of parts) {
    const disposition = 'filename' in p ? `form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: application/octet-stream` : `form-data; name="${p.name}"`;
    pieces.push(te.encode(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    pieces.push('bytes' in p ? p.bytes : te.encode(p.text));
    pieces.push(te.encode('\r\n'));
  }
  pieces.push(te.encode(`--${boundary}--\r\n`));
  const total = pieces.reduce((n, p) => n + p.byteLength, 0);
  let piece = 0;
  let offset = 0;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (piece >= pieces.length) {
        controller.close();
        return;
      }
      const current = pieces[piece];
      const chunk = current.subarray(offset, offset + chunkBytes);
      offset += chunk.byteLength;
      if (offset >= current.byteLength) {
        piece++;
        offset = 0;
      }
      sent += chunk.byteLength;
      controller.enqueue(chunk);
      onProgress?.({ sent, total });
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, length: total };
}
