import type { ErrorBody } from '@loglens/contracts';

/** A non-2xx answer of the gateway: the HTTP status and its JSON error body (`{ code, message, details? }`). */
export class LogLensApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
    readonly method: string,
    readonly path: string,
    /** the reply's JSON whatever its shape (a not-ready /health/ready still says what is missing); null when not JSON */
    readonly raw: unknown = body,
  ) {
    super(body?.message ? `${status} ${body.code}: ${body.message}` : `${method} ${path} answered ${status}`);
    this.name = 'LogLensApiError';
  }

  get code(): string | undefined {
    return this.body?.code;
  }
}

/** The gateway could not be reached (connection refused, DNS, reset) after every retry. */
export class LogLensUnreachableError extends Error {
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`cannot reach the gateway at ${url}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'LogLensUnreachableError';
  }
}
