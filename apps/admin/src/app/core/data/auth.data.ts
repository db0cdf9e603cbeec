import { Injectable, inject } from '@angular/core';
import { routes } from '@loglens/client';
import type {
  ApiKeyDto,
  ApiKeyRole,
  CreatedApiKeyReply,
  ListApiKeysReply,
  ListAuditReply,
  ListAuditRequest,
  WhoAmIReply,
} from '@loglens/contracts';
import type { Observable } from 'rxjs';
import { Gateway } from '../gateway.service';

/** Who the key is; key management and the audit log (admin keys only: the gateway answers 403 to others). */
@Injectable({ providedIn: 'root' })
export class AuthData {
  private readonly gw = inject(Gateway);

  whoami(): Observable<WhoAmIReply> {
    return this.gw.call(routes.auth.whoami());
  }

  keys(): Observable<ListApiKeysReply> {
    return this.gw.call(routes.auth.keys());
  }

  /** The reply holds the key itself, shown this once. */
  createKey(name: string, role: ApiKeyRole): Observable<CreatedApiKeyReply> {
    return this.gw.call(routes.auth.createKey(name, role));
  }

  revokeKey(id: string): Observable<ApiKeyDto> {
    return this.gw.call(routes.auth.revokeKey(id));
  }

  audit(query: ListAuditRequest = {}): Observable<ListAuditReply> {
    return this.gw.call(routes.auth.audit(query));
  }
}
