import type {
  AgentKind,
  AliasReply,
  AnalyzeReply,
  ApiKeyDto,
  ApiKeyRole,
  CommitUploadReply,
  CreateExperimentRequest,
  CreatedApiKeyReply,
  CurrentVersionsReply,
  DeployVersionReply,
  DriftReportReply,
  DriftWindow,
  ExperimentAction,
  ExperimentDto,
  GetVersionReply,
  HistoryReply,
  HistoryRequest,
  IssuedToken,
  JobDto,
  ListApiKeysReply,
  ListAuditReply,
  ListAuditRequest,
  ListDeadLettersReply,
  ListDeadLettersRequest,
  ListExperimentsRequest,
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
  TrainParams,
  V2InferReply,
  V2LiveReply,
  V2ModelMetadataReply,
  V2ReadyReply,
  ValidationReportDto,
  WhoAmIReply,
} from '@loglens/contracts';

/**
 * Every REST route of the gateway, once: method, path, query, body and reply type. A route is a plain description
 * (no I/O); `LogLensClient` runs it with `fetch`, the Angular console runs it with its HttpClient (interceptors,
 * upload progress, cancellation by unsubscribe). So the console, the CLI and the MCP server cannot disagree on a path,
 * a query name or a reply shape.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Query values; `undefined`, `null` and `''` are left out of the URL (an empty filter is no filter). */
export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

/** A part of a multipart/form-data body: a file (bytes or a browser Blob/File) or a text field. */
export type FormPart =
  | { readonly name: string; readonly filename: string; readonly data: Uint8Array | Blob }
  | { readonly name: string; readonly text: string };

export interface Route<TReply> {
  readonly method: HttpMethod;
  /** from the gateway's root, path segments already encoded */
  readonly path: string;
  readonly query?: Query;
  /** a JSON body */
  readonly body?: unknown;
  /** a multipart/form-data body instead of JSON */
  readonly form?: readonly FormPart[];
  readonly headers?: Readonly<Record<string, string>>;
  /** type only: what the route answers with on a 2xx */
  readonly reply?: TReply;
}

/** The reply type of a route. */
export type ReplyOf<R> = R extends Route<infer T> ? T : never;

/** `?a=1&b=x` from a query, leaving out empty values; '' when nothing is left. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Path and query of a route, e.g. `/model-management/history?model=iris`. */
export function routeUrl(route: Route<unknown>): string {
  return route.path + queryString(route.query);
}

/** Whether retrying the route cannot change the outcome (GET, PUT, DELETE; never a multipart body). */
export function isIdempotent(route: Route<unknown>): boolean {
  return route.method !== 'POST' && !route.form;
}

// ---- shapes of requests that no contract message carries as such (the gateway adds the actor)

/** POST /model-management/experiments: the contract's request without the actor (the key's name is the actor). */
export type CreateExperimentBody = Omit<CreateExperimentRequest, 'actor'>;

/** The options of POST /api/v1/models/predict; `routeKey` is the sticky key of an experiment (x-loglens-route-key). */
export interface PredictOptions {
  model?: string;
  version?: string;
  rows: PredictRow[];
  timeoutMs?: number;
  routeKey?: string;
}

/** Train parameters as a JSON body (from the LOGS stream) or as form fields next to an uploaded log file. */
export type TrainBody = Omit<TrainParams, 'logs'>;

/** `?agent=` of POST /api/v1/models/analyze: `auto` picks by content. */
export type AnalyzeAgent = AgentKind | 'auto';

/** A drift report over a named window (`24h`) or a range [from, to) of ISO 8601 times (at most 8 days). */
export type DriftQuery = { window: DriftWindow } | { from: string; to: string } | Record<string, never>;

/** A change guarded by the serving version the caller saw (If-Match); `reason` goes to the history and audit log. */
export interface ChangeOptions {
  reason?: string;
  expectedCurrent?: string;
}

export interface UploadParts {
  /** the ONNX file */
  model: Uint8Array | Blob;
  scaler?: Uint8Array | Blob | null;
  /** a JSON object, or its text (sent as is, so the gateway reports its own parse errors) */
  metadata?: Record<string, unknown> | string;
  /** file names for the parts (a browser File's own name); default model.onnx / scaler.json */
  modelFilename?: string;
  scalerFilename?: string;
}

/** A KServe v2 input tensor. */
export interface V2InputTensor {
  name: string;
  shape: number[];
  datatype: string;
  data: Array<number | string | boolean | null>;
}

const API = '/api/v1';
const MGMT = '/model-management';

/** A version ref (`iris@2`), model, alias, source or id as one path segment. */
const seg = encodeURIComponent;

/** Drops an empty or blank reason (`reason: ""` is not "no reason": the gateway would refuse it). */
function change(opts: ChangeOptions = {}): ChangeOptions {
  const reason = opts.reason?.trim();
  return { ...(reason ? { reason } : {}), ...(opts.expectedCurrent ? { expectedCurrent: opts.expectedCurrent } : {}) };
}

function route<T>(method: HttpMethod, path: string, rest: Omit<Route<T>, 'method' | 'path' | 'reply'> = {}): Route<T> {
  return { method, path, ...rest };
}

/** Models and serving (/api/v1/models). */
export const modelRoutes = {
  list: () => route<ListModelsReply>('GET', `${API}/models`),
  current: () => route<CurrentVersionsReply>('GET', `${API}/models/current`),
  /** `ref` is `name`, `name@N`, `name@latest` or `name@alias` */
  get: (ref: string) => route<GetVersionReply>('GET', `${API}/models/${seg(ref)}`),
  predict: ({ routeKey, ...body }: PredictOptions) =>
    route<PredictReply>('POST', `${API}/models/predict`, { body, ...(routeKey ? { headers: { 'x-loglens-route-key': routeKey } } : {}) }),
  explain: (ref: string, rows: PredictRow[], timeoutMs?: number) =>
    route<PredictReply>('POST', `${API}/models/${seg(ref)}/explain`, { body: { rows, ...(timeoutMs ? { timeoutMs } : {}) } }),
  load: (ref: string) => route<LoadVersionReply>('POST', `${API}/models/${seg(ref)}/load`),
  unload: (ref: string) => route<LoadVersionReply>('POST', `${API}/models/${seg(ref)}/unload`),
};

/** Version lifecycle (/model-management): upload, validation, deploy, rollback, aliases, tags, history. */
export const lifecycleRoutes = {
  /** 201 for a new version, 200 when the same bytes were already registered (`duplicateOf`), 422 when refused */
  upload: (model: string, parts: UploadParts) => {
    const form: FormPart[] = [{ name: 'model', filename: parts.modelFilename ?? 'model.onnx', data: parts.model }];
    if (parts.scaler) form.push({ name: 'scaler', filename: parts.scalerFilename ?? 'scaler.json', data: parts.scaler });
    const metadata = typeof parts.metadata === 'string' ? parts.metadata.trim() : parts.metadata ? JSON.stringify(parts.metadata) : '';
    if (metadata) form.push({ name: 'metadata', text: metadata });
    return route<CommitUploadReply>('POST', `${MGMT}/models/${seg(model)}/versions`, { form });
  },
  /** runs every check again, a test inference in a worker included */
  validate: (ref: string) => route<ValidationReportDto>('POST', `${MGMT}/${seg(ref)}/validate`),
  /** the latest validation report; 404 before the first one */
  validation: (ref: string) => route<ValidationReportDto>('GET', `${MGMT}/${seg(ref)}/validation`),
  deploy: (ref: string, opts: ChangeOptions = {}) => route<DeployVersionReply>('POST', `${MGMT}/${seg(ref)}/deploy`, { body: change(opts) }),
  /** `to` defaults to the version that served before the current one */
  rollback: ({ model, to, ...opts }: { model: string; to?: string } & ChangeOptions) =>
    route<DeployVersionReply>('POST', `${MGMT}/rollback`, { body: { model, ...(to ? { to } : {}), ...change(opts) } }),
  history: (query: HistoryRequest = {}) => route<HistoryReply>('GET', `${MGMT}/history`, { query: { ...query } }),
  setAlias: (model: string, alias: string, version: string, opts: ChangeOptions = {}) =>
    route<AliasReply>('PUT', `${MGMT}/models/${seg(model)}/aliases/${seg(alias)}`, { body: { version, ...change(opts) } }),
  deleteAlias: (model: string, alias: string) => route<AliasReply>('DELETE', `${MGMT}/models/${seg(model)}/aliases/${seg(alias)}`),
  archive: (ref: string) => route<ModelVersionDto>('POST', `${MGMT}/${seg(ref)}/archive`),
  setTags: (ref: string, tags: string[]) => route<ModelVersionDto>('PUT', `${MGMT}/${seg(ref)}/tags`, { body: { tags } }),
};

/** Monitoring: drift and the per-version performance figures. */
export const monitoringRoutes = {
  drift: (ref: string, query: DriftQuery = {}) => route<DriftReportReply>('GET', `${MGMT}/${seg(ref)}/drift`, { query: { ...query } }),
  performance: () => route<PerformanceReply>('GET', `${MGMT}/performance`),
};

/** Log analysis: on demand, the streaming agents' stored windows, and what the consumers gave up on. */
export const analysisRoutes = {
  /** at most 10,000 records / 10 MiB per request (413 beyond); an empty array is a 400 */
  analyze: (records: LogRecordInput[], query: { agent?: AnalyzeAgent; source?: string } = {}) =>
    route<AnalyzeReply>('POST', `${API}/models/analyze`, { body: records, query: { ...query } }),
  results: (query: ListResultsRequest = {}) => route<ListResultsReply>('GET', `${API}/analysis/results`, { query: { ...query } }),
  /** operator or admin keys */
  deadLetters: (query: ListDeadLettersRequest = {}) => route<ListDeadLettersReply>('GET', `${MGMT}/dead-letters`, { query: { ...query } }),
};

/** Per-source models: train jobs and source → model bindings. */
export const sourceRoutes = {
  /** a job training `model` on the sources' logs in the LOGS stream; 202 with the queued job */
  train: (model: string, body: TrainBody) => route<JobDto>('POST', `${MGMT}/models/${seg(model)}/train`, { body }),
  /**
   * A job training `model` on an uploaded log file (NDJSON `{message, timestamp?}` or plain lines). The fields travel
   * as text: sources comma-separated, numbers and booleans as their text, as the gateway reads them.
   */
  trainFromFile: (model: string, logs: { data: Uint8Array | Blob; filename: string }, body: TrainBody) => {
    const form: FormPart[] = [{ name: 'logs', ...logs }, { name: 'sources', text: body.sources.join(',') }];
    for (const key of ['from', 'to', 'algorithm', 'windowMs', 'topK', 'deploy', 'bind'] as const) {
      const value = body[key];
      if (value !== undefined && value !== '') form.push({ name: key, text: String(value) });
    }
    return route<JobDto>('POST', `${MGMT}/models/${seg(model)}/train`, { form });
  },
  /** newest first */
  jobs: (query: ListJobsRequest = {}) => route<JobDto[]>('GET', `${MGMT}/jobs`, { query: { ...query } }),
  job: (id: string) => route<JobDto>('GET', `${MGMT}/jobs/${seg(id)}`),
  bindings: () => route<SourceBindingDto[]>('GET', `${MGMT}/sources`),
  /** binds (or re-binds) a source: the agents score its windows with the model's serving version */
  bind: (source: string, model: string, reason?: string) =>
    route<SourceBindingDto>('PUT', `${MGMT}/sources/${seg(source)}`, { body: { model, ...change({ reason }) } }),
  /** its windows go back to the agent's default model; answers the removed binding */
  unbind: (source: string, reason?: string) =>
    route<SourceBindingDto>('DELETE', `${MGMT}/sources/${seg(source)}`, { query: { reason: reason?.trim() } }),
};

/** A/B, canary and shadow experiments (reads for every key; create and actions need operator or admin). */
export const experimentRoutes = {
  create: (spec: CreateExperimentBody) => route<ExperimentDto>('POST', `${MGMT}/experiments`, { body: spec }),
  list: (query: ListExperimentsRequest = {}) => route<ExperimentDto[]>('GET', `${MGMT}/experiments`, { query: { ...query } }),
  get: (id: string) => route<ExperimentDto>('GET', `${MGMT}/experiments/${seg(id)}`),
  /** the experiments lib's report: an open object in the contracts (its shape is the registry's to extend) */
  report: (id: string) => route<Record<string, unknown>>('GET', `${MGMT}/experiments/${seg(id)}/report`),
  change: (id: string, action: ExperimentAction, body: { reason?: string; version?: string } = {}) =>
    route<ExperimentDto>('POST', `${MGMT}/experiments/${seg(id)}/${action}`, { body: { ...change({ reason: body.reason }), ...(body.version ? { version: body.version } : {}) } }),
};

/** Keys, tokens and the audit log (keys and audit: admin keys only). */
export const authRoutes = {
  whoami: () => route<WhoAmIReply>('GET', `${API}/auth/whoami`),
  /** a short-lived token for `?token=` on /api/v1/events (EventSource cannot send headers) */
  token: () => route<IssuedToken>('POST', `${API}/auth/tokens`),
  keys: () => route<ListApiKeysReply>('GET', `${API}/auth/keys`),
  /** the answer holds the key itself, shown this once */
  createKey: (name: string, role: ApiKeyRole) => route<CreatedApiKeyReply>('POST', `${API}/auth/keys`, { body: { name, role } }),
  revokeKey: (id: string) => route<ApiKeyDto>('DELETE', `${API}/auth/keys/${seg(id)}`),
  audit: (query: ListAuditRequest = {}) => route<ListAuditReply>('GET', `${MGMT}/audit`, { query: { ...query } }),
};

/** Health of the stack: with a key every service and instance, without one only `{status}` (503 when not ready). */
export const healthRoutes = {
  ready: () => route<ReadinessDto | PublicReadinessDto>('GET', '/health/ready'),
};

/** KServe v2. */
export const v2Routes = {
  live: () => route<V2LiveReply>('GET', '/v2/health/live'),
  ready: () => route<V2ReadyReply>('GET', '/v2/health/ready'),
  metadata: (name: string, version?: string) =>
    route<V2ModelMetadataReply>('GET', version ? `/v2/models/${seg(name)}/versions/${seg(version)}` : `/v2/models/${seg(name)}`),
  /** the infer path of a model's serving version, or of one version (JSON and binary bodies alike) */
  inferPath: (name: string, version?: string) => (version ? `/v2/models/${seg(name)}/versions/${seg(version)}/infer` : `/v2/models/${seg(name)}/infer`),
  infer: (name: string, inputs: V2InputTensor[], opts: { version?: string; id?: string; outputs?: string[] } = {}) =>
    route<V2InferReply>('POST', v2Routes.inferPath(name, opts.version), {
      body: { ...(opts.id ? { id: opts.id } : {}), inputs, ...(opts.outputs ? { outputs: opts.outputs.map((n) => ({ name: n })) } : {}) },
    }),
};

/** The gateway's server-sent events (text/event-stream; key in x-api-key, or `?token=` from authRoutes.token). */
export const EVENTS_PATH = `${API}/events`;

/** Every route, by area. */
export const routes = {
  models: modelRoutes,
  lifecycle: lifecycleRoutes,
  monitoring: monitoringRoutes,
  analysis: analysisRoutes,
  sources: sourceRoutes,
  experiments: experimentRoutes,
  auth: authRoutes,
  health: healthRoutes,
  v2: v2Routes,
} as const;
