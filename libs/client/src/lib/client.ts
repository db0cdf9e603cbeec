import type {
  AliasReply,
  AnalyzeReply,
  CommitUploadReply,
  CreateExperimentRequest,
  CurrentVersionsReply,
  DeployVersionReply,
  DriftReportReply,
  ErrorBody,
  ExperimentAction,
  ExperimentDto,
  GetVersionReply,
  HistoryReply,
  JobDto,
  ListModelsReply,
  ListResultsReply,
  LoadVersionReply,
  LogRecordInput,
  ModelVersionDto,
  PerformanceReply,
  PredictReply,
  PredictRow,
  SourceBindingDto,
  TrainParams,
  ValidationReportDto,
  V2InferReply,
  V2LiveReply,
  V2ModelMetadataReply,
  V2ReadyReply,
  WhoAmIReply,
} from '@loglens/contracts';
import { LogLensApiError, LogLensUnreachableError } from './errors';
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

export interface UploadOptions {
  /** the ONNX file's bytes */
  model: Uint8Array;
  scaler?: Uint8Array;
  metadata?: Record<string, unknown>;
  onProgress?: (p: UploadProgress) => void;
  /** bytes per chunk of the streamed body; default 64 KiB */
  chunkBytes?: number;
}

export interface PredictOptions {
  model?: string;
  version?: string;
  rows: PredictRow[];
  timeoutMs?: number;
  /** sticky key of an experiment (x-loglens-route-key) */
  routeKey?: string;
}

export interface HistoryQuery {
  model?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export interface ResultsQuery {
  source?: string;
  agent?: 'wifi' | 'base';
  from?: string;
  to?: string;
  anomalous?: boolean;
  limit?: number;
}

/** A KServe v2 input tensor. */
export interface V2InputTensor {
  name: string;
  shape: number[];
  datatype: string;
  data: Array<number | string | boolean | null>;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const RETRY_STATUS = new Set([429, 502, 503, 504]);

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** a pre-encoded body (multipart) with its content type */
  raw?: { body: BodyInit; contentType: string; length: number };
}

/**
 * Typed client of the LogLens gateway's REST API. No framework dependency: it runs in Node ≥ 20 and browsers (fetch).
 * Shapes come from @loglens/contracts, the same types the gateway answers with.
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
    return this.request('GET', '/api/v1/models');
  }
  currentVersions(): Promise<CurrentVersionsReply> {
    return this.request('GET', '/api/v1/models/current');
  }
  getVersion(ref: string): Promise<GetVersionReply> {
    return this.request('GET', `/api/v1/models/${enc(ref)}`);
  }
  predict(opts: PredictOptions): Promise<PredictReply> {
    const { routeKey, ...body } = opts;
    return this.request('POST', '/api/v1/models/predict', { body, headers: routeKey ? { 'x-loglens-route-key': routeKey } : {} });
  }
  explain(ref: string, rows: PredictRow[], timeoutMs?: number): Promise<PredictReply> {
    return this.request('POST', `/api/v1/models/${enc(ref)}/explain`, { body: { rows, ...(timeoutMs ? { timeoutMs } : {}) } });
  }
  load(ref: string): Promise<LoadVersionReply> {
    return this.request('POST', `/api/v1/models/${enc(ref)}/load`);
  }
  unload(ref: string): Promise<LoadVersionReply> {
    return this.request('POST', `/api/v1/models/${enc(ref)}/unload`);
  }

  // ---- lifecycle (/model-management)
  /** Streams a multipart upload; `onProgress` sees the bytes handed to the connection. */
  upload(model: string, opts: UploadOptions): Promise<CommitUploadReply> {
    const raw = multipart(
      [
        { name: 'model', filename: 'model.onnx', bytes: opts.model },
        ...(opts.scaler ? [{ name: 'scaler', filename: 'scaler.json', bytes: opts.scaler }] : []),
        ...(opts.metadata ? [{ name: 'metadata', text: JSON.stringify(opts.metadata) }] : []),
      ],
      opts.chunkBytes ?? 64 * 1024,
      opts.onProgress,
    );
    return this.request('POST', `/model-management/models/${enc(model)}/versions`, { raw });
  }
  validate(ref: string): Promise<ValidationReportDto> {
    return this.request('POST', `/model-management/${enc(ref)}/validate`);
  }
  validation(ref: string): Promise<ValidationReportDto> {
    return this.request('GET', `/model-management/${enc(ref)}/validation`);
  }
  deploy(ref: string, opts: { reason?: string; expectedCurrent?: string } = {}): Promise<DeployVersionReply> {
    return this.request('POST', `/model-management/${enc(ref)}/deploy`, { body: opts });
  }
  rollback(opts: { model: string; to?: string; reason?: string; expectedCurrent?: string }): Promise<DeployVersionReply> {
    return this.request('POST', '/model-management/rollback', { body: opts });
  }
  history(query: HistoryQuery = {}): Promise<HistoryReply> {
    return this.request('GET', '/model-management/history', { query: { ...query } });
  }
  setAlias(model: string, alias: string, version: string, opts: { reason?: string; expectedCurrent?: string } = {}): Promise<AliasReply> {
    return this.request('PUT', `/model-management/models/${enc(model)}/aliases/${enc(alias)}`, { body: { version, ...opts } });
  }
  deleteAlias(model: string, alias: string): Promise<AliasReply> {
    return this.request('DELETE', `/model-management/models/${enc(model)}/aliases/${enc(alias)}`);
  }
  archive(ref: string): Promise<ModelVersionDto> {
    return this.request('POST', `/model-management/${enc(ref)}/archive`);
  }
  setTags(ref: string, tags: string[]): Promise<ModelVersionDto> {
    return this.request('PUT', `/model-management/${enc(ref)}/tags`, { body: { tags } });
  }
  drift(ref: string): Promise<DriftReportReply> {
    return this.request('GET', `/model-management/${enc(ref)}/drift`);
  }
  performance(): Promise<PerformanceReply> {
    return this.request('GET', '/model-management/performance');
  }

  // ---- training jobs and sources
  train(model: string, params: Omit<TrainParams, 'logs'> & { sources: string[] }): Promise<JobDto> {
    return this.request('POST', `/model-management/models/${enc(model)}/train`, { body: params });
  }
  jobs(): Promise<JobDto[]> {
    return this.request('GET', '/model-management/jobs');
  }
  job(id: string): Promise<JobDto> {
    return this.request('GET', `/model-management/jobs/${enc(id)}`);
  }
  sources(): Promise<SourceBindingDto[]> {
    return this.request('GET', '/model-management/sources');
  }

  // ---- experiments
  createExperiment(spec: CreateExperimentRequest): Promise<ExperimentDto> {
    return this.request('POST', '/model-management/experiments', { body: spec });
  }
  listExperiments(query: { model?: string; state?: string } = {}): Promise<ExperimentDto[]> {
    return this.request('GET', '/model-management/experiments', { query });
  }
  getExperiment(id: string): Promise<ExperimentDto> {
    return this.request('GET', `/model-management/experiments/${enc(id)}`);
  }
  experimentReport(id: string): Promise<Record<string, unknown>> {
    return this.request('GET', `/model-management/experiments/${enc(id)}/report`);
  }
  changeExperiment(id: string, action: ExperimentAction, body: { reason?: string } = {}): Promise<ExperimentDto> {
    return this.request('POST', `/model-management/experiments/${enc(id)}/${action}`, { body });
  }

  // ---- analysis
  analyze(records: LogRecordInput[], query: { agent?: 'wifi' | 'base' | 'auto'; source?: string } = {}): Promise<AnalyzeReply> {
    return this.request('POST', '/api/v1/models/analyze', { body: records, query });
  }
  results(query: ResultsQuery = {}): Promise<ListResultsReply> {
    return this.request('GET', '/api/v1/analysis/results', { query: { ...query } });
  }

  // ---- auth
  whoami(): Promise<WhoAmIReply> {
    return this.request('GET', '/api/v1/auth/whoami');
  }

  // ---- KServe v2
  v2Live(): Promise<V2LiveReply> {
    return this.request('GET', '/v2/health/live');
  }
  v2Ready(): Promise<V2ReadyReply> {
    return this.request('GET', '/v2/health/ready');
  }
  v2Metadata(name: string, version?: string): Promise<V2ModelMetadataReply> {
    return this.request('GET', version ? `/v2/models/${enc(name)}/versions/${enc(version)}` : `/v2/models/${enc(name)}`);
  }
  v2Infer(name: string, inputs: V2InputTensor[], opts: { version?: string; id?: string; outputs?: string[] } = {}): Promise<V2InferReply> {
    const path = opts.version ? `/v2/models/${enc(name)}/versions/${enc(opts.version)}/infer` : `/v2/models/${enc(name)}/infer`;
    return this.request('POST', path, { body: { ...(opts.id ? { id: opts.id } : {}), inputs, ...(opts.outputs ? { outputs: opts.outputs.map((n) => ({ name: n })) } : {}) } });
  }

  // ---- events
  /**
   * The gateway's server-sent events as an async iterator. The key travels in the `x-api-key` header (never in the URL,
   * where proxies and logs would keep it). Stop by breaking out of the loop or aborting `signal`.
   */
  async *events(signal?: AbortSignal): AsyncGenerator<ServerEvent> {
    const url = `${this.base}/api/v1/events`;
    let res: Response;
    try {
      res = await this.fetchFn(url, { headers: { ...this.authHeaders(), accept: 'text/event-stream' }, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (signal?.aborted) return;
      throw new LogLensUnreachableError(this.base, e);
    }
    if (!res.ok) throw await apiError(res, 'GET', '/api/v1/events');
    if (!res.body) return;
    try {
      for await (const event of parseEventStream(res.body as unknown as AsyncIterable<Uint8Array>)) yield event;
    } catch (e) {
      if (signal?.aborted) return;
      throw e;
    }
  }

  /** Any route: `path` starts with `/`. Retries idempotent methods; throws LogLensApiError on a non-2xx answer. */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = this.base + path + queryString(opts.query);
    const retries = IDEMPOTENT.has(method) && !opts.raw ? this.retries : 0;
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

function enc(s: string): string {
  return encodeURIComponent(s);
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function apiError(res: Response, method: string, path: string): Promise<LogLensApiError> {
  const text = await res.text().catch(() => '');
  let body: ErrorBody | null = null;
  try {
    const parsed = JSON.parse(text) as ErrorBody;
    if (parsed && typeof parsed === 'object' && typeof parsed.message === 'string') body = parsed;
  } catch {
    body = null;
  }
  return new LogLensApiError(res.status, body, method, path);
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
