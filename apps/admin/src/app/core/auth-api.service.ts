import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ApiKeyDto, ApiKeyRole, ListApiKeysReply, ListAuditReply } from '@loglens/contracts';
import type { Observable } from 'rxjs';

/** POST /api/v1/auth/keys: the stored key and the key itself, shown this once. */
export type CreatedKey = ApiKeyDto & { key: string };

export interface AuditQuery {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** Key management and the audit log (admin keys only: the gateway answers 403 to others). */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  listKeys(): Observable<ListApiKeysReply> {
    return this.http.get<ListApiKeysReply>('/api/v1/auth/keys');
  }

  createKey(name: string, role: ApiKeyRole): Observable<CreatedKey> {
    return this.http.post<CreatedKey>('/api/v1/auth/keys', { name, role });
  }

  revokeKey(id: string): Observable<ApiKeyDto> {
    return this.http.delete<ApiKeyDto>(`/api/v1/auth/keys/${encodeURIComponent(id)}`);
  }

  audit(query: AuditQuery = {}): Observable<ListAuditReply> {
    let params = new HttpParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== '' && v !== null) params = params.set(k, String(v));
    }
    return this.http.get<ListAuditReply>('/model-management/audit', { params });
  }
}
