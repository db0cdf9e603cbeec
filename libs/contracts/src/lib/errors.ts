import type { ValidationCheckDto } from './validation.dto';

/** Error codes every service answers with; the gateway maps them to HTTP statuses. */
export const ErrorCodes = {
  validation: 'VALIDATION_FAILED',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
  invalidModel: 'INVALID_MODEL',
  /** the inputs passed validation but onnxruntime could not run the model on them */
  modelError: 'MODEL_ERROR',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** an Idempotency-Key sent again with a different request */
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  overloaded: 'OVERLOADED',
  /** the caller went away and the work was stopped (the HTTP client closed its connection) */
  cancelled: 'CANCELLED',
  timeout: 'TIMEOUT',
  unavailable: 'UNAVAILABLE',
  internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** The body of every error reply, over NATS and over HTTP: a code, one readable sentence, optional specifics. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** readable specifics, one line each (for a refused model file: `"<outcome>: <check>: <message>"` per check) */
  details?: string[];
  /** a refused model file (INVALID_MODEL): every validation check made, as records (the same as `details`) */
  checks?: ValidationCheckDto[];
}

/** An error a service raises on purpose; its body travels to the caller unchanged. */
export class LogLensError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string[],
    readonly checks?: ValidationCheckDto[],
  ) {
    super(message);
    this.name = 'LogLensError';
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.details?.length ? { details: this.details } : {}),
      ...(this.checks?.length ? { checks: this.checks } : {}),
    };
  }

  static fromBody(body: ErrorBody): LogLensError {
    return new LogLensError(body.code, body.message, body.details, body.checks);
  }

  /** INVALID_MODEL for a refused model file: the checks as records, and as readable `details` lines. */
  static invalidModel(message: string, checks: ValidationCheckDto[]): LogLensError {
    return new LogLensError('INVALID_MODEL', message, checks.map(formatCheck), checks);
  }
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCodes));

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['code'] === 'string' && KNOWN_CODES.has(v['code']) && typeof v['message'] === 'string';
}

/** HTTP status for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'INVALID_MODEL':
    case 'MODEL_ERROR':
    case 'IDEMPOTENCY_KEY_REUSED':
      return 422;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'OVERLOADED':
      return 429;
    case 'CANCELLED':
      // nginx's "client closed request": nobody reads it, but logs and metrics tell it from a failure
      return 499;
    case 'TIMEOUT':
      return 504;
    case 'UNAVAILABLE':
      return 503;
    case 'INTERNAL':
      return 500;
  }
}

/** One validation check as a readable line: `"fail: protobuf: The file is not a readable ONNX model…"`. */
export function formatCheck(c: ValidationCheckDto): string {
  return `${c.outcome}: ${c.check}: ${c.message}`;
}
