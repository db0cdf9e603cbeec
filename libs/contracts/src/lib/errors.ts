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
  timeout: 'TIMEOUT',
  unavailable: 'UNAVAILABLE',
  internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** The body of every error reply, over NATS and over HTTP: a code, one readable sentence, optional specifics. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: string[];
}

/** An error a service raises on purpose; its body travels to the caller unchanged. */
export class LogLensError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = 'LogLensError';
  }

  toBody(): ErrorBody {
    return this.details?.length
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }

  static fromBody(body: ErrorBody): LogLensError {
    return new LogLensError(body.code, body.message, body.details);
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
    case 'TIMEOUT':
      return 504;
    case 'UNAVAILABLE':
      return 503;
    case 'INTERNAL':
      return 500;
  }
}
