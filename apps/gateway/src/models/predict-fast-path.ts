import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { checkPredictRequest, type PredictRequest } from '@loglens/contracts';
import { keyOf, type AuthenticatedRequest } from '../auth/api-key.guard';
import type { KeyStore } from '../auth/key-store';
import { toHttpError } from '../http/http-error.filter';
import type { MetricsService } from '../metrics/metrics.service';
import type { ModelsGatewayService } from './models.gateway-service';

export const PREDICT_ROUTE = '/api/v1/models/predict';
/** the sticky key of an experiment's routing, and the reply header naming the version (arm) that answered */
export const ROUTE_HEADER = 'x-loglens-route';
export const MODEL_VERSION_HEADER = 'x-loglens-model-version';

/** The body's routeKey, or the x-loglens-route header's (up to 256 characters). */
export function withRouteKey<T extends { routeKey?: string }>(body: T, header: string | string[] | undefined): T {
  const key = Array.isArray(header) ? header[0] : header;
  return key && body.routeKey === undefined ? { ...body, routeKey: key.slice(0, 256) } : body;
}

export interface PredictFastPathDeps {
  keys: Pick<KeyStore, 'verify'>;
  models: ModelsGatewayService;
  metrics: MetricsService;
}

/**
 * `POST /api/v1/models/predict` for well-formed requests, answered on Express ahead of Nest's router: the same
 * forwarding (ModelsGatewayService.predict), error mapping (toHttpError) and metrics as the Nest route, without the
 * per-request guard/pipe/interceptor/rxjs machinery and class-validator pass, which cost the gateway about 2.5× the
 * CPU of the whole request otherwise (docs/benchmarks.md). Anything it does not accept as is (no or a bad key, a
 * body that is not a valid PredictRequest) goes on to the Nest route (`next()`), so every refusal keeps one source:
 * the guard's 401/403 and the validation pipe's 400 with its field messages.
 */
export function predictFastPath(deps: PredictFastPathDeps): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    // every role may predict (viewer is the least); a request with a body was authenticated before it was read
    const key = (req as AuthenticatedRequest).principal ? null : keyOf(req);
    if (!(req as AuthenticatedRequest).principal && (!key || !deps.keys.verify(key))) return next();
    let body: PredictRequest;
    try {
      body = checkPredictRequest(req.body);
    } catch {
      return next();
    }
    // `profiled` is the agents' word (their rows are profiled already): a client may not switch drift profiling off,
    // so the Nest route refuses it (400, property profiled should not exist)
    if ('profiled' in body) return next();
    deps.metrics.observeHttp('POST', PREDICT_ROUTE, res);
    deps.models.predict(withRouteKey(body, req.headers[ROUTE_HEADER])).then(
      (reply) => send(res, 200, reply, { [MODEL_VERSION_HEADER]: reply.modelVersion }),
      (e: unknown) => {
        const [status, error] = toHttpError(e);
        send(res, status, error);
      },
    );
  };
}

function send(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...headers });
  res.end(json);
}
