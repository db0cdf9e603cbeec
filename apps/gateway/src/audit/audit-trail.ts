import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ServerResponse } from 'node:http';
import type { AuditEntryInput } from '@loglens/contracts';
import { routeOf, type HttpRequest } from '../http/http-adapter';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { codeOfStatus } from '../http/http-error.filter';
import type { AuditSink } from './audit-sink';

/**
 * The state changes the audit log records, by `METHOD route-template` (the route pattern Nest registered). Calls that
 * change nothing (predict, infer, analyze, log ingestion, tokens) are left out on purpose: they are many, and their
 * traces are the metrics. audit-trail.spec.ts fails when a new mutating route is in neither list.
 */
export const AUDITED_ROUTES: Readonly<Record<string, string>> = {
  'POST /model-management/models/:name/versions': 'version.upload',
  'POST /model-management/:version/validate': 'version.validate',
  'POST /model-management/:version/deploy': 'version.deploy',
  'POST /api/v1/models/:version/deploy': 'version.deploy',
  'POST /api/v1/models/:version/load': 'version.load',
  'POST /api/v1/models/:version/unload': 'version.unload',
  'POST /model-management/:version/archive': 'version.archive',
  'PUT /model-management/:version/tags': 'version.tags',
  'POST /model-management/rollback': 'model.rollback',
  'PUT /model-management/models/:name/aliases/:alias': 'alias.set',
  'DELETE /model-management/models/:name/aliases/:alias': 'alias.delete',
  'POST /model-management/models/:name/train': 'job.train',
  'PUT /model-management/sources/:source': 'source.bind',
  'DELETE /model-management/sources/:source': 'source.unbind',
  'POST /model-management/experiments': 'experiment.create',
  'POST /model-management/experiments/:id/:action': 'experiment.change',
  'POST /api/v1/auth/keys': 'key.create',
  'DELETE /api/v1/auth/keys/:id': 'key.revoke',
};

/** Mutating routes that are not state changes (see AUDITED_ROUTES). */
export const NOT_AUDITED_ROUTES: readonly string[] = [
  'POST /api/v1/models/predict',
  'POST /api/v1/models/analyze',
  'POST /api/v1/models/:version/explain',
  'POST /v2/models/:name/infer',
  'POST /v2/models/:name/versions/:version/infer',
  'POST /v1/logs',
  'POST /api/v1/logs',
  'POST /api/v1/auth/tokens',
];

/**
 * Records every audited call once its response is sent (or its client left) — refused ones too (403, 409, …): who (the key), what (action,
 * method, route, target), when, from where, and the outcome. Calls refused for a missing or invalid key never reach a
 * route and name no one; they are not in the log (the HTTP metrics count them).
 */
export function auditTrail(sink: AuditSink): RequestHandler {
  const watch = auditWatcher(sink);
  return (req: Request, res: Response, next: NextFunction) => {
    watch(req as AuthenticatedRequest, res);
    next();
  };
}

/** The hook of auditTrail, the same under both HTTP adapters: `req` is Express's or Fastify's, `res` the node response. */
export function auditWatcher(sink: AuditSink): (req: AuthenticatedRequest, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH' || req.method === 'DELETE') {
      // 'close' also fires when the client goes away first: the change may still have happened, so it is recorded
      // with status 499 (the outcome is unknown to the gateway's client; the history or the registry knows it)
      res.once('close', () => {
        const entry = auditEntryOf(req, res.writableFinished ? res.statusCode : CLIENT_CLOSED);
        if (entry) sink.record(entry);
      });
    }
  };
}

/** nginx's "client closed request": the client left before the answer was sent */
const CLIENT_CLOSED = 499;

export function auditEntryOf(req: AuthenticatedRequest, status: number, at = new Date()): AuditEntryInput | null {
  const route = routeOf(req);
  if (route === undefined || !req.principal) return null;
  const action = AUDITED_ROUTES[`${req.method} ${route}`];
  if (!action) return null;
  const target = targetOf(req);
  const errorCode = status === CLIENT_CLOSED ? 'CLIENT_CLOSED_REQUEST' : status >= 400 ? codeOfStatus(status) : undefined;
  return {
    at: at.toISOString(),
    actorId: req.principal.id,
    actorName: req.principal.name.slice(0, 64),
    role: req.principal.role,
    action,
    method: req.method,
    route,
    ...(target ? { target: target.slice(0, 256) } : {}),
    clientIp: (req.ip ?? req.socket?.remoteAddress ?? 'unknown').slice(0, 64),
    status,
    ...(errorCode ? { errorCode } : {}),
  };
}

/** The thing a call was about: a version (`hdfs@3`), a model's alias, a source, a key, or the model of a rollback. */
function targetOf(req: HttpRequest): string | undefined {
  const p = (req.params ?? {}) as Record<string, string | undefined>;
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  if (p['version']) return p['version'];
  if (p['name'] && p['alias']) return `${p['name']}@${p['alias']}`;
  if (p['name']) return p['name'];
  if (p['source']) return `source:${p['source']}`;
  if (p['id'] && p['action']) return `experiment:${p['id']}:${p['action']}`;
  if (p['id']) return `key:${p['id']}`;
  if (typeof body['model'] === 'string') return body['model'];
  if (typeof body['name'] === 'string') return `key:${body['name']}`;
  return undefined;
}
