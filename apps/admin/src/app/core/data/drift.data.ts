import { Injectable, inject } from '@angular/core';
import { routes } from '@loglens/client';
import type { DriftReportReply, DriftWindow } from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../gateway.service';

/** A version's drift (docs/monitoring.md). */
@Injectable({ providedIn: 'root' })
export class DriftData {
  private readonly gw = inject(Gateway);

  /** Over the last `window`. */
  drift(ref: string, window: DriftWindow): Observable<DriftReportReply> {
    return this.gw.call(routes.monitoring.drift(ref, { window }));
  }

  /** Over a custom range [from, to) (ISO 8601; at most 8 days). */
  driftRange(ref: string, from: string, to: string): Observable<DriftReportReply> {
    return this.gw.call(routes.monitoring.drift(ref, { from, to }));
  }
}
