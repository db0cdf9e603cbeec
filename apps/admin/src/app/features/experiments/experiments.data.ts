import { Injectable, inject } from '@angular/core';
import { type CreateExperimentBody, routes } from '@loglens/client';
import type { ExperimentAction, ExperimentDto, ListExperimentsRequest } from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../../core/gateway.service';
import type { ExperimentReport } from './experiments.model';

/** A/B, canary and shadow experiments (reads for every key; create and actions need operator or admin). */
@Injectable({ providedIn: 'root' })
export class ExperimentsData {
  private readonly gw = inject(Gateway);

  list(query: ListExperimentsRequest = {}): Observable<ExperimentDto[]> {
    return this.gw.call(routes.experiments.list(query));
  }

  get(id: string): Observable<ExperimentDto> {
    return this.gw.call(routes.experiments.get(id));
  }

  /** The contracts keep the report an open object (the registry extends it); the console reads the fields it knows. */
  report(id: string): Observable<ExperimentReport> {
    return this.gw.call(routes.experiments.report(id)) as Observable<unknown> as Observable<ExperimentReport>;
  }

  create(body: CreateExperimentBody): Observable<ExperimentDto> {
    return this.gw.call(routes.experiments.create(body));
  }

  change(id: string, action: ExperimentAction, body: { reason?: string; version?: string } = {}): Observable<ExperimentDto> {
    return this.gw.call(routes.experiments.change(id, action, body));
  }
}
