import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ErrorBody } from '@loglens/contracts';
import { keyOf, type AuthenticatedRequest } from './api-key.guard';
import type { KeyStore } from './key-store';

/**
 * Runs ahead of every body parser: a request that carries a body must present a valid key, or it is answered 401
 * without the body being buffered or parsed (a 9 MiB upload with no key costs nothing). No route that accepts a
 * body is public. Requests without a body go on to the guard, which also handles public routes and `?token=`.
 */
export function authenticateBeforeBody(keys: KeyStore): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    const key = keyOf(req);
    const principal = key ? keys.verify(key) : undefined;
    if (principal) {
      (req as AuthenticatedRequest).principal = principal;
      return next();
    }
    const body: ErrorBody = {
      code: 'UNAUTHENTICATED',
      message: key ? 'the API key is not valid' : 'an API key is required: send "Authorization: Bearer <key>" or "x-api-key: <key>"',
    };
    res.status(401).json(body);
    // the rest of the body is discarded as it arrives, never buffered or parsed (closing the socket instead would
    // make most clients, still sending, report a broken pipe rather than the 401)
    req.resume();
  };
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
