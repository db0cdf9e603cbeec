import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ExperimentAction, ExperimentDto, ExperimentState } from '@loglens/contracts/protocol';
import type { Observable } from 'rxjs';
import type { CreateExperimentBody } from './experiment-form';
import type { ExperimentReport } from './experiments.model';

const BASE = '/model-management/experiments';

export interface ExperimentsQuery {
  model?: string;
  state?: ExperimentState;
}

/** The gateway's experiments routes (reads for every key; create and actions need operator or admin). */
@Injectable({ providedIn: 'root' })
export class ExperimentsApi {
  private readonly http = inject(HttpClient);

  list(query: ExperimentsQuery = {}): Observable<ExperimentDto[]> {
    let params = new HttpParams();
    if (query.model) params = params.set('model', query.model);
    if (query.state) params = params.set('state', query.state);
    return this.http.get<ExperimentDto[]>(BASE, { params });
  }

  get(id: string): Observable<ExperimentDto> {
    return this.http.get<ExperimentDto>(`${BASE}/${encodeURIComponent(id)}`);
  }

  report(id: string): Observable<ExperimentReport> {
    return this.http.get<ExperimentReport>(`${BASE}/${encodeURIComponent(id)}/report`);
  }

  create(body: CreateExperimentBody): Observable<ExperimentDto> {
    return this.http.post<ExperimentDto>(BASE, body);
  }

  change(
    id: string,
    action: ExperimentAction,
    body: { reason?: string; version?: string } = {},
  ): Observable<ExperimentDto> {
    return this.http.post<ExperimentDto>(`${BASE}/${encodeURIComponent(id)}/${action}`, body);
  }
}
