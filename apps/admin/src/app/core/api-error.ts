import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorBody, ValidationCheckDto } from '@loglens/contracts';

/** An HTTP failure turned into one sentence a person can act on, keeping the gateway's code and details. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
    readonly details: string[] = [],
    /** the raw response body: some endpoints (e.g. /health/ready → 503) still answer useful data on failure */
    readonly body: unknown = null,
    /** a refused model file (422): every validation check made, as records */
    readonly checks: ValidationCheckDto[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// A local guard rather than `isErrorBody` from @loglens/contracts: a value import would pull class-validator
// into the browser bundle, and the console only needs the shape.
function asErrorBody(value: unknown): ErrorBody | null {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v['code'] !== 'string' || typeof v['message'] !== 'string') return null;
  const details = Array.isArray(v['details'])
    ? v['details'].filter((d): d is string => typeof d === 'string')
    : undefined;
  const checks = Array.isArray(v['checks']) ? v['checks'].filter(isCheck) : undefined;
  return {
    code: v['code'] as ErrorBody['code'],
    message: v['message'],
    ...(details?.length ? { details } : {}),
    ...(checks?.length ? { checks } : {}),
  };
}

function isCheck(value: unknown): value is ValidationCheckDto {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c['check'] === 'string' &&
    (c['outcome'] === 'pass' || c['outcome'] === 'warn' || c['outcome'] === 'fail') &&
    typeof c['message'] === 'string'
  );
}

/** Ends a server message with a full stop so a hint can follow it. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Turns whatever a request failed with into an ApiError whose message says what happened and what to do. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (!(error instanceof HttpErrorResponse)) {
    return new ApiError(error instanceof Error ? error.message : String(error), 0);
  }
  const body = asErrorBody(error.error);
  const { status } = error;
  if (status === 0) {
    return new ApiError('Cannot reach the gateway: check that it is running and your network connection.', 0);
  }
  if (status === 401) {
    return new ApiError(
      `${sentence(body?.message ?? 'The API key is missing or unknown')} Set a valid key in Settings.`,
      status,
      body?.code ?? null,
      body?.details ?? [],
      error.error,
    );
  }
  if (status === 403) {
    return new ApiError(
      `${sentence(body?.message ?? 'Your API key’s role may not do this')} Use a key with a higher role (viewer < operator < admin).`,
      status,
      body?.code ?? null,
      body?.details ?? [],
      error.error,
    );
  }
  if (body) {
    return new ApiError(body.message, status, body.code, body.details ?? [], error.error, body.checks ?? []);
  }
  const reason = error.statusText && error.statusText !== 'OK' ? ` ${error.statusText}` : '';
  return new ApiError(`The gateway answered HTTP ${status}${reason}.`, status, null, [], error.error);
}
