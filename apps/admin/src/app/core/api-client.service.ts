import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CurrentVersionsReply,
  DeployVersionReply,
  ListModelsReply,
  ModelVersionDto,
  PredictReply,
  PredictRequest,
  ReadinessDto,
} from '@loglens/contracts';
import { Observable, catchError, of, throwError } from 'rxjs';
import { ApiError } from './api-error';

/** Roles of gateway API keys, weakest first. */
export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** GET /api/v1/auth/whoami: the gateway's own reply, not a registry message, so it is not in @loglens/contracts. */
export interface WhoAmIReply {
  role: ApiRole;
}

export type PredictBody = Pick<PredictRequest, 'model' | 'version' | 'rows'>;

const API = '/api/v1';

function isReadiness(value: unknown): value is ReadinessDto {
  return typeof value === 'object' && value !== null && 'ready' in value && 'services' in value;
}

/**
 * Typed access to the gateway REST API. Errors arrive as ApiError (see apiErrorInterceptor); the key header is
 * added by apiKeyInterceptor.
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
    return this.http.get<ModelVersionDto>(`${API}/models/${encodeURIComponent(ref)}`);
  }

  predict(body: PredictBody): Observable<PredictReply> {
    return this.http.post<PredictReply>(`${API}/models/predict`, body);
  }

  /** Needs an operator or admin key. */
  deploy(ref: string): Observable<DeployVersionReply> {
    return this.http.post<DeployVersionReply>(`${API}/models/${encodeURIComponent(ref)}/deploy`, {});
  }

  whoami(): Observable<WhoAmIReply> {
    return this.http.get<WhoAmIReply>(`${API}/auth/whoami`);
  }

  /** Needs no key. A not-ready gateway answers 503 with the same body, which is still worth showing. */
  readiness(): Observable<ReadinessDto> {
    return this.http
      .get<ReadinessDto>('/health/ready')
      .pipe(
        catchError((err: unknown) =>
          err instanceof ApiError && isReadiness(err.body) ? of(err.body) : throwError(() => err),
        ),
      );
  }
}
