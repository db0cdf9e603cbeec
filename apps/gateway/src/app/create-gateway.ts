import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type Express, type NextFunction, type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { installProcessGuards, serviceLogger } from '@loglens/nest-common';
import { httpValidationPipe } from '../http/validation';
import { toHttpError } from '../http/http-error.filter';
import { verifyJsonDepth } from '../http/json-depth';
import { rateLimit } from '../http/rate-limit';
import { corsOptions, securityHeaders } from '../http/security-headers';
import { installAuth } from '../auth/install-auth';
import { KeyStore } from '../auth/key-store';
import { MetricsService } from '../metrics/metrics.service';
import { ModelsGatewayService } from '../models/models.gateway-service';
import { PREDICT_ROUTE, predictFastPath } from '../models/predict-fast-path';
import { installLogInputBodyParsers } from '../log-inputs/log-inputs.body';
import { documentIdempotencyKey } from '../idempotency/idempotency.interceptor';
import { withContractSchemas } from '../openapi/contract-schemas';
import { AppModule } from './app.module';
import type { GatewayEnv } from './gateway.env';

const API_PREFIXES = ['/api/', '/model-management', '/health/', '/docs', '/metrics', '/v2/', '/v1/'];

/** Builds the HTTP app (used by main.ts and by tests, which listen on a free port). */
export async function createGateway(env: GatewayEnv): Promise<NestExpressApplication> {
  const logger = serviceLogger('gateway');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), { logger, bodyParser: false });
  const adminDir = path.resolve(env.ADMIN_DIST);
  const consoleIndex = path.join(adminDir, 'index.html');
  const consoleHtml = existsSync(consoleIndex) ? readFileSync(consoleIndex, 'utf8') : null;
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy(env.TRUST_PROXY));
  // first of all, on every answer (a 401 and a 429 included): security headers, then CORS (a preflight is answered here)
  app.use(securityHeaders(consoleHtml));
  app.enableCors(corsOptions(env.CORS_ORIGINS));
  // before the key is checked and before any body is read: a flood costs a map lookup
  app.use(
    rateLimit(
      { keyPerMin: env.RATE_LIMIT_KEY_PER_MIN, anonPerMin: env.RATE_LIMIT_ANON_PER_MIN, predictPerMin: env.RATE_LIMIT_PREDICT_PER_MIN },
      (req) => req.ip ?? req.socket.remoteAddress ?? 'unknown',
    ),
  );
  // before every body parser: no body is read for a request without a valid key
  installAuth(app);
  installLogInputBodyParsers(app, env.BODY_LIMIT, env.JSON_MAX_DEPTH);
  app.use(json({ limit: env.BODY_LIMIT, verify: verifyJsonDepth(env.JSON_MAX_DEPTH) }));
  app.useGlobalPipes(httpValidationPipe());
  // after the body parser, before Nest's routes (registered at listen): the predict hot path (see predictFastPath)
  (app.getHttpAdapter().getInstance() as Express).post(
    PREDICT_ROUTE,
    predictFastPath({ keys: app.get(KeyStore), models: app.get(ModelsGatewayService), metrics: app.get(MetricsService) }),
  );
  app.enableShutdownHooks();
  installProcessGuards(app, logger);

  const doc = new DocumentBuilder()
    .setTitle('LogLens gateway')
    .setDescription('Model registry, inference and log analysis for log anomaly detection')
    .setVersion('v1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
    .build();
  SwaggerModule.setup('docs', app, () => withContractSchemas(documentIdempotencyKey(SwaggerModule.createDocument(app, doc))), { jsonDocumentUrl: 'docs/openapi.json' });

  if (consoleHtml !== null) {
    app.useStaticAssets(adminDir, { index: false });
    // the console is a single-page app: its routes all load index.html
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || API_PREFIXES.some((p) => req.path.startsWith(p)) || !req.accepts('html')) return next();
      res.sendFile(consoleIndex);
    });
  }
  // body-parser errors happen before routing, so Nest's filters never see them
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const [status, body] = toHttpError(err);
    res.status(status).json(body);
  });
  return app;
}

/** TRUST_PROXY as Express's `trust proxy` value: off when empty, a hop count, `true`, or proxy addresses/subnets. */
export function trustProxy(value: string): boolean | number | string[] {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
