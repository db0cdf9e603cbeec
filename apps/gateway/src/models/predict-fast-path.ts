import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { checkPredictRequest, type PredictRequest } from '@loglens/contracts';
import { keyOf, type AuthenticatedRequest } from '../auth/api-key.guard';
import type { KeyStore } from '../auth/key-store';
import { toHttpError } from '../http/http-error.filter';
import type { MetricsService } from '../metrics/metrics.service';
import type { ModelsGatewayService } from './models.gateway-service';

export const PREDICT_ROUTE = '/api/v1/models/predict';

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
    deps.metrics.observeHttp('POST', PREDICT_ROUTE, res);
    deps.models.predict(body).then(
      (reply) => send(res, 200, reply),
      (e: unknown) => {
        const [status, error] = toHttpError(e);
        send(res, status, error);
      },
    );
  };
}

function send(res: Response, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
