import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { JobDto, JobState, SourceBindingDto, TrainParams } from '@loglens/contracts';
import type { Observable } from 'rxjs';

/** The body of a train request (the contract's TrainParams: a plain object, no class instance needed). */
export type TrainRequest = Pick<
  TrainParams,
  'sources' | 'from' | 'to' | 'algorithm' | 'windowMs' | 'topK' | 'deploy' | 'bind'
>;

export interface JobsQuery {
  model?: string;
  state?: JobState;
  limit?: number;
}

export { SOURCE_NAME_PATTERN } from '@loglens/contracts/protocol';

const MGMT = '/model-management';
const seg = encodeURIComponent;

/**
 * Per-source models over the gateway: train jobs (from the LOGS stream or an uploaded log file) and source → model
 * bindings. Errors arrive as ApiError like every other call (apiErrorInterceptor).
 */
@Injectable({ providedIn: 'root' })
export class SourcesApi {
  private readonly http = inject(HttpClient);

  /** Queues a job training `model` on the sources' logs in the LOGS stream; 202 with the queued job. */
  train(model: string, body: TrainRequest): Observable<JobDto> {
    return this.http.post<JobDto>(`${MGMT}/models/${seg(model)}/train`, body);
  }

  /**
   * Queues a job training `model` on an uploaded log file (NDJSON `{message, timestamp?}` or plain lines). The form
   * fields travel as text: sources comma-separated, numbers and booleans as their text, as the gateway reads them.
   */
  trainFromFile(model: string, file: File, body: TrainRequest): Observable<JobDto> {
    const form = new FormData();
    form.append('logs', file, file.name);
    form.append('sources', body.sources.join(','));
    for (const key of ['from', 'to', 'algorithm', 'windowMs', 'topK', 'deploy', 'bind'] as const) {
      const value = body[key];
      if (value !== undefined && value !== '') form.append(key, String(value));
    }
    return this.http.post<JobDto>(`${MGMT}/models/${seg(model)}/train`, form);
  }

  /** Jobs, newest first. */
  jobs(query: JobsQuery = {}): Observable<JobDto[]> {
    let params = new HttpParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== '' && v !== null) params = params.set(k, String(v));
    }
    return this.http.get<JobDto[]>(`${MGMT}/jobs`, { params });
  }

  job(id: string): Observable<JobDto> {
    return this.http.get<JobDto>(`${MGMT}/jobs/${seg(id)}`);
  }

  bindings(): Observable<SourceBindingDto[]> {
    return this.http.get<SourceBindingDto[]>(`${MGMT}/sources`);
  }

  /** Binds (or re-binds) a source: the agents score its windows with the model's serving version. */
  bind(source: string, model: string, reason?: string): Observable<SourceBindingDto> {
    const r = reason?.trim();
    return this.http.put<SourceBindingDto>(
      `${MGMT}/sources/${seg(source)}`,
      r ? { model, reason: r } : { model },
    );
  }

  /** Unbinds a source: its windows go back to the agent's default model. Answers the removed binding. */
  unbind(source: string, reason?: string): Observable<SourceBindingDto> {
    const r = reason?.trim();
    const params = r ? new HttpParams().set('reason', r) : undefined;
    return this.http.delete<SourceBindingDto>(`${MGMT}/sources/${seg(source)}`, { params });
  }
}
