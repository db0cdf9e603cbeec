import type { NestExpressApplication } from '@nestjs/platform-express';
import { raw } from 'express';

export const OTLP_LOGS_ROUTE = '/v1/logs';
export const BULK_LOGS_ROUTE = '/api/v1/logs';

/**
 * The log inputs read their bodies as bytes (protobuf, NDJSON, text; gzip/deflate/br inflated): installed on their two
 * paths ahead of the gateway's JSON parser, which then leaves the already-read body alone.
 */
export function installLogInputBodyParsers(app: NestExpressApplication, limit: string): void {
  const parser = raw({ type: () => true, limit, inflate: true });
  app.use(OTLP_LOGS_ROUTE, parser);
  app.use(BULK_LOGS_ROUTE, parser);
}
