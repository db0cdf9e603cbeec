export const PREDICT_ROUTE = '/api/v1/models/predict';
/** the sticky key of an experiment's routing, and the reply header naming the version (arm) that answered */
export const ROUTE_HEADER = 'x-loglens-route';
export const MODEL_VERSION_HEADER = 'x-loglens-model-version';

/** The body's routeKey, or the x-loglens-route header's (up to 256 characters). */
export function withRouteKey<T extends { routeKey?: string }>(body: T, header: string | string[] | undefined): T {
  const key = Array.isArray(header) ? header[0] : header;
  return key && body.routeKey === undefined ? { ...body, routeKey: key.slice(0, 256) } : body;
}
