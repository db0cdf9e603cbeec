import { Injectable, inject } from '@angular/core';
import { routes } from '@loglens/client';
import type { PublicReadinessDto, ReadinessDto } from '@loglens/contracts';
import { type Observable, catchError, of, throwError } from 'rxjs';
import { ApiError } from '../../core/api-error';
import { Gateway } from '../../core/gateway.service';

/** The keyed readiness body (every service) or the public one (`{status}` only, when no key is sent). */
function isReadiness(value: unknown): value is ReadinessDto | PublicReadinessDto {
  return typeof value === 'object' && value !== null && ('services' in value || 'status' in value);
}

/** Readiness of the stack. */
@Injectable({ providedIn: 'root' })
export class HealthData {
  private readonly gw = inject(Gateway);

  /**
   * With the key: every service and instance; without one the gateway answers only `{status}`. A not-ready gateway
   * answers 503 with the same body, which is still worth showing.
   */
  readiness(): Observable<ReadinessDto | PublicReadinessDto> {
    return this.gw
      .call(routes.health.ready())
      .pipe(
        catchError((err: unknown) =>
          err instanceof ApiError && isReadiness(err.body) ? of(err.body) : throwError(() => err),
        ),
      );
  }
}
