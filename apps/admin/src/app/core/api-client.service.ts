import { HttpClient, type HttpEvent, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { API_KEY_ROLES, type ApiKeyRole } from '@loglens/contracts/protocol';
import type {
  AgentKind,
  AliasReply,
  AnalyzeReply,
  CurrentVersionsReply,
  DeployVersionReply,
  DriftReportReply,
  DriftWindow,
  HistoryReply,
  ListDeadLettersReply,
  ListModelsReply,
  ListResultsReply,
  LoadVersionReply,
  LogRecordInput,
  ModelVersionDto,
  PerformanceReply,
  PredictReply,
  PredictRequest,
  PublicReadinessDto,
  ReadinessDto,
  RegisterVersionReply,
  ValidationReportDto,
} from '@loglens/contracts';
import { Observable, catchError, of, throwError } from 'rxjs';
import { ApiError } from './api-error';

/** Roles of gateway API keys, weakest first. */
/** The roles of an API key, as the gateway checks them. */
export const API_ROLES = API_KEY_ROLES;
export type ApiRole = ApiKeyRole;

/** GET /api/v1/auth/whoami: the gateway's own reply, not a registry message, so it is not in @loglens/contracts. */
export interface WhoAmIReply {
  role: ApiRole;
}

export type PredictBody = Pick<PredictRequest, 'model' | 'version' | 'rows'>;

/** POST /model-management/models/{name}/versions: the registered version and the report of its validation. */
export type UploadVersionReply = RegisterVersionReply & { validation: ValidationReportDto | null };

export interface UploadVersionForm {
  model: File;
  scaler?: File | null;
  /** JSON object as text; sent as is so the gateway reports its own parse errors */
  metadata?: string;
}

export interface HistoryQuery {
  model?: string;
  from?: string;
  to?: string;
  limit?: number;
}

export interface RollbackBody {
  model: string;
  /** default: the version that served before the current one */
  to?: string;
  reason?: string;
}

/** `?agent=` of POST /api/v1/models/analyze: `auto` picks by content. */
export type AnalyzeAgent = AgentKind | 'auto';

export interface AnalyzeOptions {
  agent: AnalyzeAgent;
  /** source name for records that do not carry one (windows are per source) */
  source?: string;
}

/** GET /api/v1/analysis/results: stored windows of the streaming agents, newest first. */
export interface ResultsQuery {
  source?: string;
  agent?: AgentKind;
  /** ISO 8601 */
  from?: string;
  to?: string;
  anomalous?: boolean;
  limit?: number;
}

/** GET /model-management/dead-letters: what the consumers gave up on, newest first (operator or admin keys). */
export interface DeadLettersQuery {
  /** a durable consumer's name, e.g. loglens-agent-base */
  consumer?: string;
  limit?: number;
  /** `next` of the previous page */
  before?: number;
}

const API = '/api/v1';
const MGMT = '/model-management';

/** The keyed body (every service) or the public one (`{status}` only, when no key is set or it is not sent). */
function isReadiness(value: unknown): value is ReadinessDto | PublicReadinessDto {
  return typeof value === 'object' && value !== null && ('services' in value || 'status' in value);
}

/** A version ref (`iris@2`) or model name as one path segment. */
const seg = encodeURIComponent;

/** Drops empty fields: the gateway validates what it gets, and `reason: ""` is not "no reason". */
function withReason<T extends object>(body: T, reason?: string): T & { reason?: string } {
  const r = reason?.trim();
  return r ? { ...body, reason: r } : body;
}

/**
 * Typed access to the gateway REST API. Errors arrive as ApiError (see apiErrorInterceptor); the key header is
 * added by apiKeyInterceptor. Changing calls need an operator or admin key: the gateway answers 403 otherwise.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  listModels(): Observable<ListModelsReply> {
    return this.http.get<ListModelsReply>(`${API}/models`);
  }

  currentVersions(): Observable<CurrentVersionsReply> {
    return this.http.get<CurrentVersionsReply>(`${API}/models/current`);
  }

  /** `ref` is `name`, `name@N`, `name@latest` or `name@alias`. */
  getVersion(ref: string): Observable<ModelVersionDto> {
    return this.http.get<ModelVersionDto>(`${API}/models/${seg(ref)}`);
  }

  predict(body: PredictBody): Observable<PredictReply> {
    return this.http.post<PredictReply>(`${API}/models/predict`, body);
  }

  deploy(ref: string, reason?: string): Observable<DeployVersionReply> {
    return this.http.post<DeployVersionReply>(`${API}/models/${seg(ref)}/deploy`, withReason({}, reason));
  }

  load(ref: string): Observable<LoadVersionReply> {
    return this.http.post<LoadVersionReply>(`${API}/models/${seg(ref)}/load`, {});
  }

  unload(ref: string): Observable<LoadVersionReply> {
    return this.http.post<LoadVersionReply>(`${API}/models/${seg(ref)}/unload`, {});
  }

  rollback(body: RollbackBody): Observable<DeployVersionReply> {
    const { reason, ...rest } = body;
    return this.http.post<DeployVersionReply>(`${MGMT}/rollback`, withReason(rest, reason));
  }

  /** Runs every check again, including a test inference in a worker (can take a few seconds). */
  validate(ref: string): Observable<ValidationReportDto> {
    return this.http.post<ValidationReportDto>(`${MGMT}/${seg(ref)}/validate`, {});
  }

  /** The latest validation report; 404 before the first one. */
  /** The version's drift over the last `window` (docs/monitoring.md). */
  drift(ref: string, window: DriftWindow): Observable<DriftReportReply> {
    return this.http.get<DriftReportReply>(`${MGMT}/${seg(ref)}/drift`, { params: new HttpParams().set('window', window) });
  }

  /** The version's drift over a custom range [from, to) (ISO 8601; at most 8 days). */
  driftRange(ref: string, from: string, to: string): Observable<DriftReportReply> {
    return this.http.get<DriftReportReply>(`${MGMT}/${seg(ref)}/drift`, { params: new HttpParams().set('from', from).set('to', to) });
  }

  validation(ref: string): Observable<ValidationReportDto> {
    return this.http.get<ValidationReportDto>(`${MGMT}/${seg(ref)}/validation`);
  }

  history(query: HistoryQuery = {}): Observable<HistoryReply> {
    let params = new HttpParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== '' && v !== null) params = params.set(k, String(v));
    }
    return this.http.get<HistoryReply>(`${MGMT}/history`, { params });
  }

  deadLetters(query: DeadLettersQuery = {}): Observable<ListDeadLettersReply> {
    let params = new HttpParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== '' && v !== null) params = params.set(k, String(v));
    }
    return this.http.get<ListDeadLettersReply>(`${MGMT}/dead-letters`, { params });
  }

  setAlias(model: string, alias: string, version: string, reason?: string): Observable<AliasReply> {
    return this.http.put<AliasReply>(
      `${MGMT}/models/${seg(model)}/aliases/${seg(alias)}`,
      withReason({ version }, reason),
    );
  }

  deleteAlias(model: string, alias: string): Observable<AliasReply> {
    return this.http.delete<AliasReply>(`${MGMT}/models/${seg(model)}/aliases/${seg(alias)}`);
  }

  archive(ref: string): Observable<ModelVersionDto> {
    return this.http.post<ModelVersionDto>(`${MGMT}/${seg(ref)}/archive`, {});
  }

  setTags(ref: string, tags: string[]): Observable<ModelVersionDto> {
    return this.http.put<ModelVersionDto>(`${MGMT}/${seg(ref)}/tags`, { tags });
  }

  /**
   * Multipart upload of a new version, with upload progress events. The reply is 201 for a new version, 200 when
   * the same bytes were already registered (`duplicateOf`), 422 with the failed checks in `details` when refused.
   */
  uploadVersion(name: string, form: UploadVersionForm): Observable<HttpEvent<UploadVersionReply>> {
    const body = new FormData();
    body.append('model', form.model, form.model.name);
    if (form.scaler) body.append('scaler', form.scaler, form.scaler.name);
    if (form.metadata?.trim()) body.append('metadata', form.metadata);
    return this.http.post<UploadVersionReply>(`${MGMT}/models/${seg(name)}/versions`, body, {
      reportProgress: true,
      observe: 'events',
    });
  }

  /**
   * Analyzes log records now with the chosen agent: windows with anomaly scores, and every record (in input order)
   * with its template and window. At most 10,000 records / 10 MiB per request (413 beyond); an empty array is a 400.
   */
  analyze(records: LogRecordInput[], options: AnalyzeOptions): Observable<AnalyzeReply> {
    let params = new HttpParams().set('agent', options.agent);
    if (options.source) params = params.set('source', options.source);
    return this.http.post<AnalyzeReply>(`${API}/models/analyze`, records, { params });
  }

  analysisResults(query: ResultsQuery = {}): Observable<ListResultsReply> {
    let params = new HttpParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== '' && v !== null) params = params.set(k, String(v));
    }
    return this.http.get<ListResultsReply>(`${API}/analysis/results`, { params });
  }

  performance(): Observable<PerformanceReply> {
    return this.http.get<PerformanceReply>(`${MGMT}/performance`);
  }

  whoami(): Observable<WhoAmIReply> {
    return this.http.get<WhoAmIReply>(`${API}/auth/whoami`);
  }

  /**
   * With the key: every service and instance; without one the gateway answers only `{status}`. A not-ready gateway
   * answers 503 with the same body, which is still worth showing.
   */
  readiness(): Observable<ReadinessDto | PublicReadinessDto> {
    return this.http
      .get<ReadinessDto | PublicReadinessDto>('/health/ready')
      .pipe(
        catchError((err: unknown) =>
          err instanceof ApiError && isReadiness(err.body) ? of(err.body) : throwError(() => err),
        ),
      );
  }
}
