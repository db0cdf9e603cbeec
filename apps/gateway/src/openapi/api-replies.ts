import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { OpenApiReplies, ReplyName } from '@loglens/contracts';

/** The error statuses an operation can answer, each with the contracts' error body `{ code, message, details? }`. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503 | 504;

const ERROR_MEANING: Record<ErrorStatus, string> = {
  400: 'VALIDATION_FAILED: the request is malformed or a value is out of range; `details` names each problem',
  401: 'UNAUTHENTICATED: no API key (x-api-key, Bearer or ?token=), or one that is not valid',
  403: 'FORBIDDEN: the key’s role may not do this (viewer < operator < admin)',
  404: 'NOT_FOUND: no such model, version, alias, experiment, job or route',
  409: 'CONFLICT: the state changed under the request (If-Match / expectedCurrent), or the change is not allowed in this state',
  413: 'PAYLOAD_TOO_LARGE: the body (BODY_LIMIT), the file or the number of rows/records is over the limit',
  415: 'the body’s content type is not one this operation reads',
  422: 'INVALID_MODEL, MODEL_ERROR or IDEMPOTENCY_KEY_REUSED: well-formed, but the model (or the key’s first request) refuses it',
  429: 'OVERLOADED: rate limit or queue full; retry after Retry-After',
  503: 'UNAVAILABLE: the service that answers this (registry, a worker, an agent) is not reachable',
  504: 'TIMEOUT: the service did not answer in time',
};

/** Authenticated routes: a key is checked and counted against the rate limit. */
export const AUTHENTICATED: readonly ErrorStatus[] = [401, 429];
/** Routes for operators (or admins). */
export const OPERATOR: readonly ErrorStatus[] = [401, 403, 429];
/** Routes answered over NATS by another service. */
export const OVER_NATS: readonly ErrorStatus[] = [503, 504];

export const schemaRef = (name: ReplyName) => ({ $ref: `#/components/schemas/${name}` });

/** The error responses of an operation, all with the contracts' ErrorBody. */
export function ApiErrors(...statuses: readonly ErrorStatus[]): MethodDecorator {
  const unique = [...new Set(statuses)].sort((a, b) => a - b);
  return applyDecorators(...unique.map((status) => ApiResponse({ status, description: ERROR_MEANING[status], schema: schemaRef('ErrorBody') })));
}

declare const JSON_OF: unique symbol;
/** A reply already written as JSON text (UTF-8 bytes, sent as they are): the JSON of a `T`. */
export type JsonText<T> = Buffer & { readonly [JSON_OF]?: T };

type Returning<T> = (...args: never[]) => T | JsonText<T> | Promise<T | JsonText<T>>;
/** A method decorator that only compiles on a method whose (awaited) return type is the declared reply type. */
type ReplyDecorator<T> = <M extends Returning<T>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

export interface ReplyOptions {
  /** the success statuses answered with this body (default 200) */
  status?: number | number[];
  description?: string;
  /** the error statuses this operation can answer */
  errors: readonly ErrorStatus[];
}

/**
 * Declares an operation's JSON reply: the schema generated from the contract type (components.schemas[name]) for its
 * success statuses, and ErrorBody for its error statuses. Several names: the body is one of them.
 */
export function ApiReply<K extends ReplyName>(names: K | readonly K[], options: ReplyOptions): ReplyDecorator<OpenApiReplies[K]> {
  const list = (typeof names === 'string' ? [names] : names) as readonly K[];
  const schema = list.length === 1 ? schemaRef(list[0]) : { oneOf: list.map(schemaRef) };
  const statuses = options.status === undefined ? [200] : typeof options.status === 'number' ? [options.status] : options.status;
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: options.description ?? list.join(' or '), schema })),
    ApiErrors(...options.errors),
  );
}
