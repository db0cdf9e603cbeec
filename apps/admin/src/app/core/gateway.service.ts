import { HttpClient, type HttpEvent, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { FormPart, Route } from '@loglens/client';
import type { Observable } from 'rxjs';

/**
 * Runs the routes of @loglens/client (the one table of the gateway's REST routes, shared with the CLI and the MCP
 * server) with Angular's HttpClient, so the interceptors add the key and turn failures into ApiError, a page's
 * unsubscribe cancels its request, and an upload is a plain multipart body with progress events (a browser cannot
 * stream a request body over HTTP/1.1, and the fetch backend reports no upload progress).
 * Data services (core/data) are built on it; no page builds a request itself.
 */
@Injectable({ providedIn: 'root' })
export class Gateway {
  private readonly http = inject(HttpClient);

  /** The route's reply; errors arrive as ApiError. */
  call<T>(route: Route<T>): Observable<T> {
    return this.http.request<T>(route.method, route.path, { ...this.options(route), observe: 'body', responseType: 'json' });
  }

  /** Every event of the request, upload progress included (for multipart routes). */
  callWithProgress<T>(route: Route<T>): Observable<HttpEvent<T>> {
    return this.http.request<T>(route.method, route.path, {
      ...this.options(route),
      observe: 'events',
      reportProgress: true,
      responseType: 'json',
    });
  }

  private options(route: Route<unknown>): { body?: unknown; params?: HttpParams; headers?: Record<string, string> } {
    let params: HttpParams | undefined;
    for (const [k, v] of Object.entries(route.query ?? {})) {
      if (v === undefined || v === null || v === '') continue;
      params = (params ?? new HttpParams()).set(k, String(v));
    }
    const body = route.form ? formData(route.form) : route.body;
    return {
      ...(body !== undefined ? { body } : {}),
      ...(params ? { params } : {}),
      ...(route.headers ? { headers: { ...route.headers } } : {}),
    };
  }
}

function formData(parts: readonly FormPart[]): FormData {
  const form = new FormData();
  for (const p of parts) {
    if ('text' in p) form.append(p.name, p.text);
    else form.append(p.name, p.data instanceof Blob ? p.data : new Blob([p.data as Uint8Array<ArrayBuffer>]), p.filename);
  }
  return form;
}
