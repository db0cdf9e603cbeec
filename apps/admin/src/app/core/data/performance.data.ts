import { Injectable, inject } from '@angular/core';
import { routes } from '@loglens/client';
import type { PerformanceReply } from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../gateway.service';

/** Serving performance. */
@Injectable({ providedIn: 'root' })
export class PerformanceData {
  private readonly gw = inject(Gateway);

  performance(): Observable<PerformanceReply> {
    return this.gw.call(routes.monitoring.performance());
  }
}
