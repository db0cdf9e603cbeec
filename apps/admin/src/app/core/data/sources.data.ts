import { Injectable, inject } from '@angular/core';
import { routes } from '@loglens/client';
import type { SourceBindingDto } from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../gateway.service';

/** Source → model bindings (the agents score a bound source's windows with that model's serving version). */
@Injectable({ providedIn: 'root' })
export class SourcesData {
  private readonly gw = inject(Gateway);

  bindings(): Observable<SourceBindingDto[]> {
    return this.gw.call(routes.sources.bindings());
  }

  /** Binds (or re-binds) a source. */
  bind(source: string, model: string, reason?: string): Observable<SourceBindingDto> {
    return this.gw.call(routes.sources.bind(source, model, reason));
  }

  /** Unbinds a source: its windows go back to the agent's default model. Answers the removed binding. */
  unbind(source: string, reason?: string): Observable<SourceBindingDto> {
    return this.gw.call(routes.sources.unbind(source, reason));
  }
}
