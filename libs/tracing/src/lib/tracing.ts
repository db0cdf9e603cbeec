import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { headers as natsHeaders, type MsgHdrs } from 'nats';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export { SpanKind, SpanStatusCode, type Context, type Span };

/**
 * OpenTelemetry tracing for the LogLens services: off unless `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, and then spans go to that OTLP/HTTP endpoint in batches. The W3C
 * `traceparent` travels in NATS message headers (requests, events, JetStream records), so one predict or one analysed
 * log line is one trace across the services. When off, every helper here is a flag test and nothing else: no span,
 * no header, no context switch on the hot paths.
 */
let enabled = false;
let provider: NodeTracerProvider | null = null;

/** Whether spans are being recorded (tracing was started in this process). */
export function tracingEnabled(): boolean {
  return enabled;
}

export interface TracingOptions {
  /** `service.name` of this process's spans (OTEL_SERVICE_NAME overrides it) */
  service: string;
  env?: NodeJS.ProcessEnv;
  /** export here instead of OTLP (specs): spans are then exported one by one, as they end */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** exports what is buffered and stops recording */
  shutdown(): Promise<void>;
}

/** The OTLP endpoint tracing exports to, or null when tracing is off for this environment. */
export function tracingEndpoint(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env['OTEL_SDK_DISABLED'] === 'true' || env['OTEL_TRACES_EXPORTER'] === 'none') return null;
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  return endpoint ? endpoint : null;
}

/**
 * Starts tracing for this process when the environment asks for it (see tracingEndpoint); returns null otherwise.
 * Call it first in main, before the services connect. The exporter reads the standard OTEL_EXPORTER_OTLP_* settings
 * (endpoint, headers, timeout) and the batch processor the OTEL_BSP_* ones.
 */
export function startTracing(options: TracingOptions): Tracing | null {
  const env = options.env ?? process.env;
  if (!options.exporter && tracingEndpoint(env) === null) return null;
  if (provider) return { shutdown: stopTracing };
  // the SDK and the OTLP exporter load only when tracing starts: a process that never traces (the default) does not
  // carry their modules (~15 MB RSS per service)
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BatchSpanProcessor, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': env['OTEL_SERVICE_NAME'] || options.service,
      'service.namespace': 'loglens',
      'service.instance.id': randomUUID(),
    }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // the async-local-storage context manager and the W3C trace-context + baggage propagators
  provider.register();
  enabled = true;
  return { shutdown: stopTracing };
}

async function stopTracing(): Promise<void> {
  const p = provider;
  enabled = false;
  provider = null;
  if (!p) return;
  await p.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

function tracer() {
  return trace.getTracer('loglens');
}

const natsSetter: TextMapSetter<MsgHdrs> = { set: (h, key, value) => h.set(key, value) };
const natsGetter: TextMapGetter<MsgHdrs | undefined> = {
  get: (h, key) => h?.get(key) || undefined,
  keys: (h) => (h ? [...h.keys()] : []),
};

/**
 * NATS headers carrying the given (default: the active) trace context — added to `into` when given. Returns `into`
 * unchanged (possibly undefined) when tracing is off, so a caller without headers of its own sends none.
 */
export function traceHeaders(into?: MsgHdrs, ctx: Context = context.active()): MsgHdrs | undefined {
  if (!enabled) return into;
  const h = into ?? natsHeaders();
  propagation.inject(ctx, h, natsSetter);
  return h;
}

/** The trace context a NATS message carries (the root context when it carries none or tracing is off). */
export function contextOf(h: MsgHdrs | undefined): Context {
  if (!enabled || !h) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, h, natsGetter);
}

/** The trace context of HTTP request headers (`traceparent`, `tracestate`, `baggage`). */
export function contextOfHttp(h: Record<string, string | string[] | undefined>): Context {
  if (!enabled) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, h);
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** the parent context (default: the active one) */
  parent?: Context;
  /** other contexts this span continues (a batch of windows scored together, results stored together) */
  links?: Context[];
  startTime?: number;
}

/** Links to the spans of these contexts (those that have one), at most `max` of them. */
function linksOf(contexts: Context[] | undefined, max = 128): Link[] | undefined {
  if (!contexts?.length) return undefined;
  const links: Link[] = [];
  for (const c of contexts) {
    const sc = trace.getSpanContext(c);
    if (sc) links.push({ context: sc });
    if (links.length >= max) break;
  }
  return links;
}

/** Starts a span (undefined when tracing is off); the caller ends it. */
export function startSpan(name: string, options: SpanOptions = {}): Span | undefined {
  return enabled ? begin(name, options) : undefined;
}

/** A new span, whether or not tracing is on (a non-recording one when off): for callers that checked already. */
function begin(name: string, options: SpanOptions): Span {
  return tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: linksOf(options.links), startTime: options.startTime },
    options.parent ?? context.active(),
  );
}

/** The context in which `span` is the active span (the given context unchanged when there is no span). */
export function contextWith(span: Span | undefined, parent: Context = context.active()): Context {
  return span ? trace.setSpan(parent, span) : parent;
}

/** Runs `fn` with `ctx` as the active context (directly when tracing is off). */
export function runIn<T>(ctx: Context, fn: () => T): T {
  return enabled ? context.with(ctx, fn) : fn();
}

/** Ends a span with an error status and the exception recorded. */
export function failSpan(span: Span | undefined, error: unknown): void {
  if (!span) return;
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

/**
 * Runs `fn` in a new span, active while it runs (and in whatever it awaits); the span ends when the promise
 * settles, with an error status when it rejects. When tracing is off this is `fn(undefined)`.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!enabled) return fn(undefined);
  const span = begin(name, options);
  return context.with(trace.setSpan(options.parent ?? context.active(), span), () =>
    fn(span).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failSpan(span, error);
        throw error;
      },
    ),
  );
}

/** A span of something already timed (a batch's wait in a queue, its compute), recorded after the fact. */
export function recordSpan(name: string, startTime: number, endTime: number, options: Omit<SpanOptions, 'startTime'> = {}): void {
  if (!enabled) return;
  startSpan(name, { ...options, startTime })?.end(endTime);
}

/** The trace id of the active span, for log lines and replies (undefined when there is none). */
export function activeTraceId(): string | undefined {
  if (!enabled) return undefined;
  return trace.getSpanContext(context.active())?.traceId;
}

/** Express and Fastify put the matched route on the request; node's own request has neither. */
type RoutedRequest = IncomingMessage & { route?: { path?: string }; routeOptions?: { url?: string } };

/**
 * A SERVER span around every request the server handles (whatever framework answers it: it wraps the server's own
 * `request` listeners), continuing the caller's `traceparent`. The request and response emitters are bound to the
 * span's context so that body parsing and every handler after it run with the span active. Call once, after the
 * framework has attached its listener and before `listen`; nothing happens when tracing is off.
 */
export function traceHttpServer(server: Server): void {
  if (!enabled) return;
  const handlers = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: RoutedRequest, res: ServerResponse) => {
    const parent = contextOfHttp(req.headers);
    const path = (req.url ?? '/').split('?')[0];
    const span = begin(`${req.method ?? 'HTTP'}`, {
      kind: SpanKind.SERVER,
      parent,
      attributes: { 'http.request.method': req.method ?? '', 'url.path': path },
    });
    const ctx = trace.setSpan(parent, span);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = req.routeOptions?.url ?? req.route?.path;
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.bind(ctx, req);
    context.bind(ctx, res);
    context.with(ctx, () => {
      for (const h of handlers) h.call(server, req, res);
    });
  });
}

interface QueryableClass {
  prototype: { query: (...args: unknown[]) => unknown };
}

/**
 * CLIENT spans for the database queries of node-postgres (`pg`'s Client, which TypeORM drives): one per query, child
 * of whatever span is active, with the statement (truncated) as `db.query.text`. The prototype is patched once, so it
 * holds for clients made before and after; nothing happens when tracing is off.
 */
export function traceQueries(client: QueryableClass): void {
  if (!enabled) return;
  const proto = client.prototype as { query: (...args: unknown[]) => unknown; __loglensTraced?: boolean };
  if (proto.__loglensTraced) return;
  proto.__loglensTraced = true;
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (!enabled || trace.getSpan(context.active()) === undefined) return original.apply(this, args);
    const first = args[0];
    const text = typeof first === 'string' ? first : typeof (first as { text?: unknown })?.text === 'string' ? (first as { text: string }).text : '';
    const span = begin(`${text.trimStart().split(/\s/, 1)[0]?.toUpperCase() || 'query'}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.query.text': text.slice(0, 500) },
    });
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, ...rest: unknown[]) => {
        if (err) failSpan(span, err);
        else span.end();
        return (last as (...a: unknown[]) => unknown)(err, ...rest);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(
        () => span.end(),
        (e: unknown) => failSpan(span, e),
      );
    } else {
      span.end();
    }
    return result;
  };
}
