import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { HttpReply as Response, HttpRequest as Request } from '../http/http-adapter';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import {
  IDEMPOTENCY_KEY_PATTERN,
  LogLensError,
  RegistrySubjects,
  isErrorBody,
  type ClaimIdempotencyKeyReply,
  type ClaimIdempotencyKeyRequest,
  type SettleIdempotencyKeyRequest,
} from '@loglens/contracts';
import { RpcClient, validateEnv } from '@loglens/nest-common';
import { keyOf } from '../auth/api-key.guard';
import { toHttpError } from '../http/http-error.filter';
import { IdempotencyEnv } from './idempotency.env';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** set on an answer that is a replay of the first one */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** POSTs that change nothing (scoring, analysis): a key on them is ignored rather than stored */
const PURE_ROUTES = [/^\/api\/v1\/models\/(predict|analyze)(\?|$)/, /^\/v2\/models\/.+\/infer(\?|$)/];
/** an answer larger than this is not kept (mutating routes answer a few hundred bytes; NATS carries 1 MiB) */
const MAX_STORED_BYTES = 256 * 1024;
const POLL_MS = 100;

/**
 * `Idempotency-Key` on every state-changing REST call. The key is claimed in the registry (Postgres) before the
 * change runs, so across any number of gateways exactly one request with a key runs; the others get its answer
 * (status + body, header `Idempotent-Replayed: true`) once it is stored — an identical request arriving while the
 * first still runs waits for it. The same key with a different request (method, route or body) is a 422. Answers
 * of 5xx (a timeout, a service down) are not kept: the change may not have happened, so a retry runs again.
 * Keys are per API key and kept IDEMPOTENCY_TTL_MS (24 h).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('idempotency');
  private readonly env = validateEnv(IdempotencyEnv, process.env);

  constructor(private readonly rpc: RpcClient) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (key === undefined || !MUTATING.has(req.method) || PURE_ROUTES.some((r) => r.test(urlOf(req))))
      return next.handle();
    return from(this.run(req, res, key, next));
  }

  private async run(
    req: Request,
    res: Response,
    key: string | string[],
    next: CallHandler,
  ): Promise<unknown> {
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new LogLensError(
        'VALIDATION_FAILED',
        'Idempotency-Key must be one header of 1-255 visible ASCII characters (a UUID is a good choice)',
      );
    }
    const request = `${req.method} ${urlOf(req)}`.slice(0, 300);
    const claim: ClaimIdempotencyKeyRequest = {
      scope: scopeOf(req),
      key,
      fingerprint: fingerprintOf(req),
      request,
      ttlMs: this.env.IDEMPOTENCY_TTL_MS,
      leaseMs: this.env.IDEMPOTENCY_LEASE_MS,
    };
    const reply = await this.claim(claim);
    switch (reply.outcome) {
      case 'mismatch':
        throw new LogLensError(
          'IDEMPOTENCY_KEY_REUSED',
          `Idempotency-Key "${key}" was first used at ${reply.firstAt} for a different request (${reply.request}, another body): use a new key for a new request`,
        );
      case 'replay':
        res.header(REPLAYED_HEADER, 'true');
        if (reply.status >= 400)
          throw isErrorBody(reply.body)
            ? LogLensError.fromBody(reply.body)
            : new LogLensError(
                'CONFLICT',
                `the first request with this Idempotency-Key failed (HTTP ${reply.status})`,
              );
        res.status(reply.status);
        return reply.body;
      case 'in-progress':
        throw new LogLensError(
          'CONFLICT',
          `a request with Idempotency-Key "${key}" is still in progress: retry it later to get its answer`,
        );
      case 'claimed':
        return this.runClaimed(claim, res, next);
    }
  }

  /** Claims, waiting while an identical request runs elsewhere (up to the lease; its answer is then replayed). */
  private async claim(claim: ClaimIdempotencyKeyRequest): Promise<ClaimIdempotencyKeyReply> {
    const until = Date.now() + claim.leaseMs;
    for (;;) {
      const reply = await this.rpc.call(
        RegistrySubjects.claimIdempotencyKey,
        claim,
      );
      if (reply.outcome !== 'in-progress' || Date.now() >= until) return reply;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async runClaimed(
    claim: ClaimIdempotencyKeyRequest,
    res: Response,
    next: CallHandler,
  ): Promise<unknown> {
    const settle = (s: Pick<SettleIdempotencyKeyRequest, 'action' | 'status' | 'body'>) =>
      this.rpc
        .call(
          RegistrySubjects.settleIdempotencyKey,
          { scope: claim.scope, key: claim.key, fingerprint: claim.fingerprint, ...s },
          { retries: 2 },
        )
        .catch((e: Error) =>
          this.logger.warn(
            `could not settle Idempotency-Key "${claim.key}" (${claim.request}): ${e.message}; it is free again after IDEMPOTENCY_LEASE_MS`,
          ),
        );
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (e) {
      const [status, errorBody] = toHttpError(e);
      // a 5xx may or may not have changed anything: the key is released so a retry runs (and answers) again
      await settle(
        status >= 500
          ? { action: 'release' }
          : { action: 'store', status, body: errorBody as unknown as Record<string, unknown> },
      );
      throw e;
    }
    const storable =
      typeof body === 'object' &&
      body !== null &&
      !Array.isArray(body) &&
      JSON.stringify(body).length <= MAX_STORED_BYTES;
    await settle(
      storable
        ? { action: 'store', status: res.statusCode, body: body as Record<string, unknown> }
        : { action: 'release' },
    );
    return body;
  }
}

/** The URL as the client sent it (path and query). */
function urlOf(req: Pick<Request, 'url' | 'originalUrl'>): string {
  return req.originalUrl ?? req.url;
}

/** Keys are per caller: the presented API key, hashed (never stored). */
function scopeOf(req: Request): string {
  return createHash('sha256')
    .update(keyOf(req) ?? 'anonymous')
    .digest('hex')
    .slice(0, 32);
}

/**
 * What makes two requests "the same": method, path and query, and the body with its keys sorted. A multipart body
 * is not parsed yet when this runs (the upload interceptor runs after the global ones), so it counts by its size
 * and content type without the boundary: two uploads of the same size under one key are taken for the same request.
 */
export function fingerprintOf(req: Pick<Request, 'method' | 'url' | 'originalUrl' | 'headers' | 'body'>): string {
  const type = String(req.headers['content-type'] ?? '');
  const body = /^multipart\//i.test(type)
    ? { multipart: type.replace(/;\s*boundary=.*$/i, ''), length: req.headers['content-length'] ?? null }
    : (req.body ?? null);
  return createHash('sha256')
    .update(canonicalJson([req.method, urlOf(req), body]))
    .digest('hex');
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same body. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Adds the Idempotency-Key header to every state-changing operation of the OpenAPI document. */
export function documentIdempotencyKey(doc: OpenAPIObject): OpenAPIObject {
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const op = ops[method];
      if (!op || PURE_ROUTES.some((r) => r.test(path.replace(/\{[^}]+\}/g, 'x')))) continue;
      op.parameters = [
        ...(op.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'any unique string (a UUID): sent again with the same request within 24 h (IDEMPOTENCY_TTL_MS), the first answer is replayed (status + body, header Idempotent-Replayed: true) and nothing runs twice; with a different request → 422 IDEMPOTENCY_KEY_REUSED',
          schema: { type: 'string', maxLength: 255 },
        },
      ];
    }
  }
  return doc;
}
