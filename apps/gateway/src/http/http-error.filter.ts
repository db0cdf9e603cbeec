import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { sendJson, type HttpReply } from './http-adapter';
import { httpStatusOf, LogLensError, type ErrorBody, type ErrorCode } from '@loglens/contracts';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'INVALID_MODEL',
  429: 'OVERLOADED',
  503: 'UNAVAILABLE',
  504: 'TIMEOUT',
};

/** The error code an HTTP status stands for (the audit log names it). */
export function codeOfStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
}

/** Every HTTP error leaves as `{code, message, details?}`, with the status that code maps to. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<HttpReply>();
    const [status, body] = toHttpError(exception);
    if (status >= 500 && !(exception instanceof LogLensError)) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    sendJson(res, status, body);
  }
}

export function toHttpError(exception: unknown): [number, ErrorBody] {
  if (exception instanceof LogLensError) return [httpStatusOf(exception.code), exception.toBody()];
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray((response as { message?: unknown }).message)
          ? ((response as { message: string[] }).message.join('; '))
          : String((response as { message?: unknown }).message ?? exception.message);
    return [status, { code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'), message }];
  }
  // body-parser errors (bad JSON, too large) carry a status of their own, Fastify's (FST_…: a media type without a
  // parser, a multipart limit) a statusCode
  const e = exception as { status?: unknown; statusCode?: unknown; type?: unknown; message?: unknown; code?: unknown };
  const fastify = typeof e?.code === 'string' && e.code.startsWith('FST_') && typeof e.statusCode === 'number';
  const status = typeof e?.status === 'number' ? e.status : fastify ? (e.statusCode as number) : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    const message =
      e.type === 'entity.parse.failed'
        ? `request body is not valid JSON: ${String(e.message)}`
        : e.type === 'entity.too.large' || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'request body is larger than the gateway accepts (BODY_LIMIT)'
          : String(e.message);
    return [status, { code: CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED', message }];
  }
  return [500, { code: 'INTERNAL', message: 'internal error' }];
}
