import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { toApiError } from './api-error';
import { ApiKeyStore } from './api-key.store';

/**
 * The gateway's authenticated surface; the key is never sent anywhere else (nor off-origin). /health/ takes it too:
 * without a key /health/ready says only whether the stack is ready, with one it names the services and instances.
 */
const KEYED_PREFIXES = ['/api/', '/model-management/', '/health/'];

function isGatewayApi(url: string): boolean {
  if (KEYED_PREFIXES.some((p) => url.startsWith(p))) return true;
  try {
    const parsed = new URL(url, document.baseURI);
    return parsed.origin === location.origin && KEYED_PREFIXES.some((p) => parsed.pathname.startsWith(p));
  } catch {
    return false;
  }
}

/** Adds the stored API key as `x-api-key` to every gateway /api, /model-management and /health request. */
export const apiKeyInterceptor: HttpInterceptorFn = (req, next) => {
  const key = inject(ApiKeyStore).key();
  if (!key || !isGatewayApi(req.url) || req.headers.has('x-api-key')) return next(req);
  return next(req.clone({ setHeaders: { 'x-api-key': key } }));
};

/** Replaces HttpErrorResponse with ApiError, whose message is readable as is. */
export const apiErrorInterceptor: HttpInterceptorFn = (req, next) =>
  next(req).pipe(catchError((error: unknown) => throwError(() => toApiError(error))));
