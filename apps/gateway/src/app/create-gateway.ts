import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyMultipart from '@fastify/multipart';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
// body-parser itself, not express: on Fastify the gateway never loads express (its router, app and response: ~2.5 MB)
import { json, raw } from 'body-parser';
import type { NextFunction, Request, Response } from 'express';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { checkPredictRequest } from '@loglens/contracts';
import { installProcessGuards, serviceLogger } from '@loglens/nest-common';
import { httpValidationPipe } from '../http/validation';
import { toHttpError } from '../http/http-error.filter';
import { verifyJsonDepth } from '../http/json-depth';
import { rateLimit, rateLimiter } from '../http/rate-limit';
import { corsOptions, securityHeaders } from '../http/security-headers';
import { acceptsHtml, pathOf, sendJson, type HttpReply, type Refusal } from '../http/http-adapter';
import { hotRoute, hotRoutes, replayRequest } from '../http/hot-routes';
import { installAuth } from '../auth/install-auth';
import { bodyAuthenticator } from '../auth/authenticate-before-body';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { KeyStore } from '../auth/key-store';
import { AuditSink } from '../audit/audit-sink';
import { auditWatcher } from '../audit/audit-trail';
import { MetricsService } from '../metrics/metrics.service';
import { ModelsController } from '../models/models.controller';
import type { PredictBodyDto } from '../models/models.dto';
import { PREDICT_ROUTE } from '../models/predict-route';
import { V2Controller } from '../v2/v2.controller';
import { V2InferRequestDto } from '../v2/v2.dto';
import { isBinaryInferRequest, readBinaryInferBody } from '../v2/v2-binary';
import { AnalysisController } from '../analysis/analysis.controller';
import { BULK_LOGS_ROUTE, OTLP_LOGS_ROUTE, installLogInputBodyParsers, verifyLogInputDepth } from '../log-inputs/log-inputs.body';
import { uploadLimitBytes } from '../management/upload-limit';
import { documentIdempotencyKey } from '../idempotency/idempotency.interceptor';
import { withContractSchemas } from '../openapi/contract-schemas';
import { AppModule } from './app.module';
import type { GatewayEnv } from './gateway.env';

const API_PREFIXES = ['/api/', '/model-management', '/health/', '/docs', '/metrics', '/v2/', '/v1/'];

/**
 * Builds the HTTP app (used by main.ts and by tests, which listen on a free port): on Fastify, or on Express with
 * GATEWAY_HTTP_ADAPTER=express. Both answer the same: the same security headers, CORS, rate limits, authentication
 * before any body is read, audit, body limits and errors, routes, OpenAPI and console.
 */
export async function createGateway(env: GatewayEnv): Promise<INestApplication> {
  const logger = serviceLogger('gateway');
  const adminDir = path.resolve(env.ADMIN_DIST);
  const consoleIndex = path.join(adminDir, 'index.html');
  const consoleHtml = existsSync(consoleIndex) ? readFileSync(consoleIndex, 'utf8') : null;
  const app = env.GATEWAY_HTTP_ADAPTER === 'express' ? await onExpress(env, consoleHtml, adminDir, consoleIndex) : await onFastify(env, consoleHtml, adminDir);
  app.useGlobalPipes(httpValidationPipe());
  app.enableShutdownHooks();
  installProcessGuards(app, logger);

  const doc = new DocumentBuilder()
    .setTitle('LogLens gateway')
    .setDescription('Model registry, inference and log analysis for log anomaly detection')
    .setVersion('v1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
    .build();
  SwaggerModule.setup('docs', app, () => withContractSchemas(documentIdempotencyKey(SwaggerModule.createDocument(app, doc))), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;

  async function onExpress(env: GatewayEnv, consoleHtml: string | null, adminDir: string, consoleIndex: string): Promise<NestExpressApplication> {
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), { logger, bodyParser: false });
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
    // KServe v2 binary data extension: the JSON header becomes the body, the tensors' bytes are kept for the controller
    const binaryBody = raw({ type: () => true, limit: env.BODY_LIMIT, inflate: true });
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (!isBinaryInferRequest(undefined, req.path, req.headers)) return next();
      binaryBody(req, res, (err?: unknown) => {
        if (err) return next(err);
        try {
          req.body = readBinaryInferBody(req, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
          next();
        } catch (e) {
          next(e);
        }
      });
    });
    app.use(json({ limit: env.BODY_LIMIT, verify: verifyJsonDepth(env.JSON_MAX_DEPTH) }));
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

  async function onFastify(env: GatewayEnv, consoleHtml: string | null, adminDir: string): Promise<NestFastifyApplication> {
    const adapter = new FastifyAdapter({
      trustProxy: trustProxy(env.TRUST_PROXY),
      // bodies are read by the parsers below (BODY_LIMIT), uploads by the multipart plugin (MODEL_UPLOAD_LIMIT)
      bodyLimit: Math.max(uploadLimitBytes(), byteSize(env.BODY_LIMIT)) + 1024 * 1024,
      routerOptions: { ignoreTrailingSlash: true },
    });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, { logger, bodyParser: false });
    const fastify = adapter.getInstance();
    // first of all, on every answer (a 401 and a 429 included): security headers (the adapter runs this hook before
    // the CORS one, which answers a preflight)
    const helmet = securityHeaders(consoleHtml);
    adapter.setOnRequestHook((request, reply, done) => {
      helmet(request.raw as never, reply.raw as never, done as never);
    });
    // with CORS_ORIGINS empty the CORS hook sets nothing on any answer (and the preflight route answers 404): it then
    // runs late, where the hot routes, answered on onRequest, never reach it, instead of on every request's onRequest
    const cors = corsOptions(env.CORS_ORIGINS);
    app.enableCors((cors.origin === false ? { ...cors, hook: 'preHandler' } : cors) as never);
    const limited = rateLimiter({ keyPerMin: env.RATE_LIMIT_KEY_PER_MIN, anonPerMin: env.RATE_LIMIT_ANON_PER_MIN, predictPerMin: env.RATE_LIMIT_PREDICT_PER_MIN });
    const authenticated = bodyAuthenticator(app.get(KeyStore));
    const audit = auditWatcher(app.get(AuditSink));
    const refuse = (request: FastifyRequest, reply: FastifyReply, refusal: Refusal) => {
      for (const [name, value] of Object.entries(refusal.headers ?? {})) void reply.header(name, value);
      sendJson(reply as unknown as HttpReply, refusal.status, refusal.body);
      // whatever body follows is drained, never buffered or parsed
      request.raw.resume();
    };
    // the hot routes (predict, v2 infer, analyze): answered without Nest's per-request machinery (see hotRoutes)
    const models = app.get(ModelsController);
    const v2 = app.get(V2Controller);
    const analysis = app.get(AnalysisController);
    const pipe = httpValidationPipe();
    const inferBody = (request: FastifyRequest) => pipe.transform(request.body, { type: 'body', metatype: V2InferRequestDto }) as Promise<V2InferRequestDto>;
    const params = (request: FastifyRequest) => request.params as Record<string, string>;
    const hot = hotRoutes(
        [
          hotRoute({
            url: PREDICT_ROUTE,
            // `profiled` is the agents' word: a client may not switch drift profiling off, and the Nest route says so (400)
            accept: (request) => {
              const body = checkPredictRequest(request.body);
              return 'profiled' in body ? undefined : (body as PredictBodyDto);
            },
            handle: (body, req, reply) => models.predict(body, req, reply),
          }),
          hotRoute({
            url: '/v2/models/:name/infer',
            accept: inferBody,
            handle: (body, req, reply) => v2.infer(String(params(req as never)['name']), body, req, reply),
          }),
          hotRoute({
            url: '/v2/models/:name/versions/:version/infer',
            accept: inferBody,
            handle: (body, req, reply) => v2.inferVersion(String(params(req as never)['name']), String(params(req as never)['version']), body, req, reply),
          }),
          hotRoute({
            url: '/api/v1/models/analyze',
            // with query parameters (agent, source) the Nest route validates them
            accept: (request) => (Object.keys((request.query ?? {}) as object).length === 0 ? { body: request.body } : undefined),
            handle: (args, req, reply) => analysis.analyze(args.body, {}, reply, (req as FastifyRequest).headers['accept-encoding']),
          }),
        ],
        app.get(MetricsService),
        { limitBytes: byteSize(env.BODY_LIMIT), maxDepth: env.JSON_MAX_DEPTH },
    );
    fastify.addHook('onRequest', (request, reply, done) => {
      // before the key is checked and before any body is read: a flood costs a map lookup; then no body is read for a
      // request without a valid key
      const refusal = limited(request.method, pathOf(request.url), request.headers, request.ip, reply.raw) ?? authenticated(request as unknown as AuthenticatedRequest);
      if (refusal) return refuse(request, reply, refusal);
      audit(request as unknown as AuthenticatedRequest, reply.raw);
      // the route pattern on the node request too, where the HTTP span of @loglens/tracing names itself from it
      (request.raw as IncomingMessage & { routeOptions?: { url?: string } }).routeOptions = { url: request.routeOptions.url };
      hot.onRequest(request, reply, done);
    });
    // bodies as on Express (the same body-parser, limits, inflation, depth check and errors): the log inputs' as bytes,
    // every other body as JSON (a body of another type is not read, as express.json leaves it)
    const logInputBody = raw({ type: () => true, limit: env.BODY_LIMIT, inflate: true, verify: verifyLogInputDepth(env.JSON_MAX_DEPTH) });
    const jsonBody = json({ limit: env.BODY_LIMIT, verify: verifyJsonDepth(env.JSON_MAX_DEPTH) });
    // KServe v2 binary data extension: the JSON header becomes the body, the tensors' bytes are kept for the controller
    const binaryBody = raw({ type: () => true, limit: env.BODY_LIMIT, inflate: true });
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (request, _payload, done) => {
      const url = request.routeOptions.url;
      // (never read early by the hot path: it leaves bodies with Inference-Header-Content-Length to this parser)
      if (isBinaryInferRequest(url, '', request.headers)) {
        const req = request.raw as IncomingMessage & { body?: Buffer };
        return binaryBody(req as never, {} as never, (err?: unknown) => {
          if (err) return done(err as Error);
          try {
            done(null, readBinaryInferBody(req, req.body ?? Buffer.alloc(0)));
          } catch (e) {
            done(e as Error);
          }
        });
      }
      const parser = url === OTLP_LOGS_ROUTE || url === BULK_LOGS_ROUTE ? logInputBody : jsonBody;
      const early = hot.earlyBody(request.raw);
      if (early && 'body' in early) return done(null, early.body);
      // bytes the hot path read and left to the parser: read again from them, with the same errors
      const req = early ? replayRequest(request.raw, early.bytes) : (request.raw as IncomingMessage & { body?: unknown });
      parser(req as never, {} as never, (err?: unknown) => (err ? done(err as Error) : done(null, req.body)));
    });
    await app.register(fastifyMultipart as never, { limits: { fileSize: uploadLimitBytes() } });
    // the hot routes (predict, v2 infer, analyze) skip Nest's per-request machinery once their body is read, and
    // a plain JSON body of theirs skips Fastify's body parsing too (see hotRoutes)
    fastify.addHook('preHandler', hot.preHandler);
    if (consoleHtml !== null) {
      // files by their path (listed at start); any other GET that takes HTML is a route of the single-page console
      app.useStaticAssets({ root: adminDir, prefix: '/', index: false, wildcard: false });
      fastify.addHook('onRequest', (request, reply, done) => {
        if (!request.is404 || request.method !== 'GET' || !acceptsHtml(request.headers.accept)) return done();
        const p = pathOf(request.url);
        if (API_PREFIXES.some((prefix) => p.startsWith(prefix))) return done();
        void reply.type('text/html; charset=UTF-8').send(consoleHtml);
      });
    }
    return app;
  }
}

/** A body-parser size (`10mb`, `512kb`, `100b`) in bytes. */
export function byteSize(value: string): number {
  const m = /^(\d+)(b|kb|mb)?$/i.exec(value.trim());
  if (!m) throw new Error(`not a size: ${value}`);
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

/** TRUST_PROXY as Express's `trust proxy` value: off when empty, a hop count, `true`, or proxy addresses/subnets. */
export function trustProxy(value: string): boolean | number | string[] {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
