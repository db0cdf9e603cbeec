import { Injectable, inject } from '@angular/core';
import { type PredictOptions, routes } from '@loglens/client';
import type { CurrentVersionsReply, GetVersionReply, ListModelsReply, LoadVersionReply, PredictReply } from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../gateway.service';

/** Models, versions and serving (predict, load, unload). */
@Injectable({ providedIn: 'root' })
export class ModelsData {
  private readonly gw = inject(Gateway);

  list(): Observable<ListModelsReply> {
    return this.gw.call(routes.models.list());
  }

  current(): Observable<CurrentVersionsReply> {
    return this.gw.call(routes.models.current());
  }

  /** `ref` is `name`, `name@N`, `name@latest` or `name@alias`. */
  version(ref: string): Observable<GetVersionReply> {
    return this.gw.call(routes.models.get(ref));
  }

  predict(opts: PredictOptions): Observable<PredictReply> {
    return this.gw.call(routes.models.predict(opts));
  }

  load(ref: string): Observable<LoadVersionReply> {
    return this.gw.call(routes.models.load(ref));
  }

  unload(ref: string): Observable<LoadVersionReply> {
    return this.gw.call(routes.models.unload(ref));
  }
}
