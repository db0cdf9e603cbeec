import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ErrorBody } from '@loglens/contracts';
import type { IncomingHttpHeaders } from 'node:http';
import type { Refusal } from '../http/http-adapter';
import { keyOf } from './api-key.guard';
import { requestKeyHash } from './key-hash';
import type { KeyStore, Principal } from './key-store';

/**
 * Runs ahead of every body parser: a request that carries a body must present a valid key, or it is answered 401
 * without the body being buffered or parsed (a 9 MiB upload with no key costs nothing). No route that accepts a
 * body is public. Requests without a body go on to the guard, which also handles public routes and `?token=`.
 */
export function authenticateBeforeBody(keys: KeyStore): RequestHandler {
  const check = bodyAuthenticator(keys);
  return (req: Request, res: Response, next: NextFunction) => {
    const refusal = check(req);
    if (!refusal) return next();
    res.status(refusal.status).json(refusal.body);
    // the rest of the body is discarded as it arrives, never buffered or parsed (closing the socket instead would
    // make most clients, still sending, report a broken pipe rather than the 401)
    req.resume();
  };
}

/**
 * The check of authenticateBeforeBody, the same under both HTTP adapters: sets the request's principal and answers
 * null (go on), or the 401 to send (the caller then drains the body).
 */
export function bodyAuthenticator(keys: Pick<KeyStore, 'verifyHash'>): (req: { headers: IncomingHttpHeaders; principal?: Principal }) => Refusal | null {
  return (req) => {
    if (!hasBody(req)) return null;
    const key = keyOf(req);
    const principal = key ? keys.verifyHash(requestKeyHash(req.headers, key)) : undefined;
    if (principal) {
      req.principal = principal;
      return null;
    }
    const body: ErrorBody = {
      code: 'UNAUTHENTICATED',
      message: key ? 'the API key is not valid' : 'an API key is required: send "Authorization: Bearer <key>" or "x-api-key: <key>"',
    };
    return { status: 401, body };
  };
}

function hasBody(req: { headers: IncomingHttpHeaders }): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
