import { Injectable, inject } from '@angular/core';
import { type AnalyzeAgent, routes } from '@loglens/client';
import type { AnalyzeReply, ListResultsReply, ListResultsRequest, LogRecordInput } from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../gateway.service';

/** Log analysis: on demand, and the streaming agents' stored windows. */
@Injectable({ providedIn: 'root' })
export class AnalysisData {
  private readonly gw = inject(Gateway);

  /**
   * Analyzes log records now with the chosen agent: windows with anomaly scores, and every record (in input order)
   * with its template and window. At most 10,000 records / 10 MiB per request (413 beyond); an empty array is a 400.
   */
  analyze(records: LogRecordInput[], options: { agent: AnalyzeAgent; source?: string }): Observable<AnalyzeReply> {
    return this.gw.call(routes.analysis.analyze(records, options));
  }

  /** Stored windows of the streaming agents, newest first. */
  results(query: ListResultsRequest = {}): Observable<ListResultsReply> {
    return this.gw.call(routes.analysis.results(query));
  }
}
