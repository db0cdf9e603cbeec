import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogLensError } from '@loglens/contracts';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { MetricsService } from '../metrics/metrics.service';
import { sendJson, type HttpReply } from './http-adapter';
import { toHttpError } from './http-error.filter';

/**
 * A route answered on Fastify's preHandler hook instead of Nest's pipeline (guard, pipes, interceptors, rxjs), by the
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

/**
 * The one fast path for the hot routes (predict, v2 infer, analyze), the same code for each: a POST with a body was
 * authenticated before its body was read (authenticateBeforeBody; every role may call these routes), so what Nest's
 * pipeline would still do is the validation (`accept`), the HTTP metrics and the error filter's mapping — done here.
 * Nothing else differs from the Nest route: same handler, same status (200), same `{code, message}` errors.
 */
export function hotRoutesHook(routes: HotRoute[], metrics: Pick<MetricsService, 'observeHttp'>) {
  const byUrl = new Map(routes.map((r) => [r.url, r]));
  const logger = new Logger('http');
  return (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    const route = request.method === 'POST' ? byUrl.get(request.routeOptions.url ?? '') : undefined;
    const req = request as unknown as AuthenticatedRequest;
    if (!route || !req.principal) return done();
    let accepted: unknown;
    try {
      accepted = route.accept(request);
    } catch {
      return done();
    }
    const run = (args: unknown) => {
      if (args === undefined) return done();
      metrics.observeHttp('POST', route.url, reply.raw);
      route.handle(args, req, reply as unknown as HttpReply).then(
        // bytes (a KServe v2 binary reply) go as they are, with the headers the handler set
        (body) => (Buffer.isBuffer(body) ? void reply.status(200).send(body) : sendJson(reply as unknown as HttpReply, 200, body)),
        (e: unknown) => {
          const [status, body] = toHttpError(e);
          if (status >= 500 && !(e instanceof LogLensError)) logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
          sendJson(reply as unknown as HttpReply, status, body);
        },
      );
    };
    if (accepted instanceof Promise) accepted.then(run, () => done());
    else run(accepted);
  };
}
