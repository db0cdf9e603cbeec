import type { NestExpressApplication } from '@nestjs/platform-express';
// body-parser itself, not express: on Fastify the gateway never loads express (its router, app and response: ~2.5 MB)
import { raw } from 'body-parser';
import { JsonTooDeepError, jsonDepth } from '../http/json-depth';

export const OTLP_LOGS_ROUTE = '/v1/logs';
export const BULK_LOGS_ROUTE = '/api/v1/logs';

/**
 * The log inputs read their bodies as bytes (protobuf, NDJSON, text; gzip/deflate/br inflated): installed on their two
 * paths ahead of the gateway's JSON parser, which then leaves the already-read body alone.
 */
export function installLogInputBodyParsers(app: NestExpressApplication, limit: string, maxDepth: number): void {
  const parser = raw({ type: () => true, limit, inflate: true, verify: verifyLogInputDepth(maxDepth) });
  app.use(OTLP_LOGS_ROUTE, parser);
  app.use(BULK_LOGS_ROUTE, parser);
}

/**
 * Log-input bodies nested deeper than `max` are refused (400) once inflated, before anything parses them: JSON
 * (`application/json`, OTLP/JSON) as a whole, NDJSON and untyped bodies line by line (their lines may be JSON
 * objects); protobuf and text/plain carry no JSON structure.
 */
export function verifyLogInputDepth(max: number): (req: { headers: Record<string, string | string[] | undefined> }, res: unknown, buf: Buffer) => void {
  return (req, _res, buf) => {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (/protobuf/.test(type) || type === 'text/plain') return;
    const perLine = !(type === 'application/json' || type.endsWith('+json'));
    if (jsonDepth(buf, max, perLine) > max) throw new JsonTooDeepError(max, perLine);
  };
}
