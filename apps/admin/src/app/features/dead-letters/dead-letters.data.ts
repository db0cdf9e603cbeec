import { Injectable, inject } from '@angular/core';
import { routes } from '@loglens/client';
import type { ListDeadLettersReply, ListDeadLettersRequest } from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../../core/gateway.service';

/** What the consumers gave up on, newest first (operator or admin keys). */
@Injectable({ providedIn: 'root' })
export class DeadLettersData {
  private readonly gw = inject(Gateway);

  list(query: ListDeadLettersRequest = {}): Observable<ListDeadLettersReply> {
    return this.gw.call(routes.analysis.deadLetters(query));
  }
}
