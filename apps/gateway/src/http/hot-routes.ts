import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { INFER_HEADER_LENGTH, LogLensError } from '@loglens/contracts';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { MetricsService } from '../metrics/metrics.service';
import { sendJson, type HttpReply } from './http-adapter';
import { toHttpError } from './http-error.filter';
import { jsonDepth } from './json-depth';

/**
 * A route answered on a Fastify hook instead of Nest's pipeline (guard, pipes, interceptors, rxjs), by the
 * same controller method. `accept` returns the controller's arguments for a request it takes as it is, or undefined:
 * the request then goes on to the Nest route, so every refusal (the guard's 401/403, the pipe's 400 naming the field)
 * keeps one source.
 */
export interface HotRoute<A = unknown> {
  /** the route pattern as Nest registered it (`/v2/models/:name/infer`) */
  url: string;
  accept(req: FastifyRequest): A | undefined | Promise<A | undefined>;
  handle(args: A, req: AuthenticatedRequest, reply: HttpReply): Promise<unknown>;
}

/** A HotRoute with its argument type checked at its definition (the table is heterogeneous). */
export function hotRoute<A>(route: HotRoute<A>): HotRoute {
  return route as HotRoute;
}

/** How the early body reader reads: the JSON body limit (BODY_LIMIT in bytes) and JSON_MAX_DEPTH. */
export interface HotBodyLimits {
  limitBytes: number;
  maxDepth: number;
}

/** What the early reader left for the content-type parser of a request it did not answer (see HotRoutes.earlyBody). */
export type EarlyBody = { body: unknown } | { bytes: Buffer };

export interface HotRoutes {
  /**
   * onRequest (after the rate limit, the key check and the audit): reads and parses a plain JSON body of a hot route
   * itself and answers it, skipping Fastify's content-type parser, body-parser and the later hooks. Anything else (a
   * body compressed, chunked, over the limit, of another charset, with binary tensors, not strict JSON, too deep, or one
   * `accept` does not take) goes on to the usual path, with the bytes already read left for the content-type parser (earlyBody).
   */
  onRequest(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void;
  /** preHandler: the same for a hot route's body read by the usual parsers. */
  preHandler(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void;
  /**
   * The body onRequest read for a request it passed on: parsed (`body`, a JSON value `accept` declined: the route
   * refuses it) or its bytes (`bytes`, to be parsed by the usual parser, which then answers its own error), once.
   */
  earlyBody(raw: IncomingMessage): EarlyBody | undefined;
}

const EARLY = Symbol('loglens.earlyBody');
/** `application/json`, optionally with `charset=utf-8`: what JSON.parse of the UTF-8 text reads as body-parser would */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

/**
 * The one fast path for the hot routes (predict, v2 infer, analyze), the same code for each: a POST with a body was
 * authenticated before its body was read (authenticateBeforeBody; every role may call these routes), so what Nest's
 * pipeline would still do is the validation (`accept`), the HTTP metrics and the error filter's mapping — done here.
 * Nothing else differs from the Nest route: same handler, same status (200), same `{code, message}` errors.
 * With `limits`, onRequest also reads the body itself (see HotRoutes.onRequest); without, only preHandler answers.
 */
export function hotRoutes(routes: HotRoute[], metrics: Pick<MetricsService, 'observeHttp'>, limits?: HotBodyLimits): HotRoutes {
  const byUrl = new Map(routes.map((r) => [r.url, r]));
  const logger = new Logger('http');

  const routeOf = (request: FastifyRequest): HotRoute | undefined =>
    request.method === 'POST' && (request as unknown as AuthenticatedRequest).principal ? byUrl.get(request.routeOptions.url ?? '') : undefined;

  const serve = (route: HotRoute, args: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    metrics.observeHttp('POST', route.url, reply.raw);
    route.handle(args, request as unknown as AuthenticatedRequest, reply as unknown as HttpReply).then(
      // bytes (a KServe v2 binary reply) go as they are, with the headers the handler set
      (body) => (Buffer.isBuffer(body) ? void reply.status(200).send(body) : sendJson(reply as unknown as HttpReply, 200, body)),
      (e: unknown) => {
        const [status, body] = toHttpError(e);
        if (status >= 500 && !(e instanceof LogLensError)) logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
        sendJson(reply as unknown as HttpReply, status, body);
      },
    );
  };

  /** accept, then serve (or `declined` when accept does not take the request or throws) */
  const acceptAndServe = (route: HotRoute, request: FastifyRequest, reply: FastifyReply, declined: () => void): void => {
    let accepted: unknown;
    try {
      accepted = route.accept(request);
    } catch {
      return declined();
    }
    const run = (args: unknown) => (args === undefined ? declined() : serve(route, args, request, reply));
    if (accepted instanceof Promise) accepted.then(run, declined);
    else run(accepted);
  };

  const preHandler = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    const route = routeOf(request);
    if (!route) return done();
    acceptAndServe(route, request, reply, () => done());
  };

  const onRequest = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    const route = limits ? routeOf(request) : undefined;
    if (!route || !limits) return done();
    const h = request.headers;
    const length = h['content-length'];
    const encoding = h['content-encoding'];
    const n = length === undefined ? NaN : Number(length);
    // (a KServe binary-tensor body, `Inference-Header-Content-Length`, is JSON followed by bytes: the usual parsers')
    if (h['transfer-encoding'] !== undefined || h[INFER_HEADER_LENGTH] !== undefined || !(n > 0) || n > limits.limitBytes || (encoding !== undefined && encoding.toLowerCase() !== 'identity') || !PLAIN_JSON.test(h['content-type'] ?? '')) {
      return done();
    }
    const raw = request.raw as IncomingMessage & { [EARLY]?: EarlyBody };
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
    });
    raw.once('end', () => {
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      const body = strictJson(bytes, limits.maxDepth);
      if (body === undefined) {
        // body-parser reads these bytes again and answers its own error (400 naming the problem, as without this path)
        raw[EARLY] = { bytes };
        return done();
      }
      (request as { body?: unknown }).body = body;
      acceptAndServe(route, request, reply, () => {
        raw[EARLY] = { body };
        done();
      });
    });
  };

  const earlyBody = (raw: IncomingMessage): EarlyBody | undefined => {
    const r = raw as IncomingMessage & { [EARLY]?: EarlyBody };
    const early = r[EARLY];
    if (early) delete r[EARLY];
    return early;
  };

  return { onRequest, preHandler, earlyBody };
}

/**
 * The JSON value of bytes that express.json (strict, UTF-8) would accept with the same value, or undefined for
 * anything it would treat otherwise (a BOM, a first character other than `{` or `[`, a syntax error, deeper than
 * `maxDepth`): those are left to it.
 */
export function strictJson(bytes: Buffer, maxDepth: number): unknown {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] !== 0x7b && bytes[i] !== 0x5b) return undefined;
  if (jsonDepth(bytes, maxDepth) > maxDepth) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A readable of bytes already read, with the node request's headers: what body-parser reads a request from. */
export function replayRequest(raw: IncomingMessage, bytes: Buffer): Readable & { headers: IncomingMessage['headers']; body?: unknown } {
  const stream = Readable.from([bytes], { objectMode: false }) as Readable & { headers: IncomingMessage['headers']; body?: unknown };
  stream.headers = raw.headers;
  return stream;
}
