import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { headers } from 'nats';
import {
  contextOf,
  contextOfHttp,
  inSpan,
  recordSpan,
  SpanKind,
  startSpan,
  startTracing,
  traceHeaders,
  tracingEnabled,
  tracingEndpoint,
  type Tracing,
} from './tracing';

describe('tracing', () => {
  it('is off unless an OTLP endpoint is configured, and then adds no header and records nothing', async () => {
    expect(tracingEndpoint({})).toBeNull();
    expect(tracingEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('http://collector:4318');
    expect(tracingEndpoint({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toBe('http://c:4318/v1/traces');
    expect(tracingEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
    expect(tracingEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
    expect(startTracing({ service: 'spec', env: {} })).toBeNull();
    expect(tracingEnabled()).toBe(false);
    expect(traceHeaders()).toBeUndefined();
    const own = headers();
    expect(traceHeaders(own)).toBe(own);
    expect(own.has('traceparent')).toBe(false);
    expect(startSpan('x')).toBeUndefined();
    await expect(inSpan('x', {}, async (span) => span)).resolves.toBeUndefined();
  });

  describe('when on', () => {
    const exporter = new InMemorySpanExporter();
    let tracing: Tracing;

    beforeAll(() => {
      tracing = startTracing({ service: 'spec', env: {}, exporter })!;
    });
    afterAll(() => tracing.shutdown());
    beforeEach(() => exporter.reset());

    it('carries the active span across a NATS hop: the receiver continues the same trace as a child', async () => {
      let sent: ReturnType<typeof traceHeaders>;
      await inSpan('predict send', { kind: SpanKind.CLIENT }, async () => {
        sent = traceHeaders();
      });
      expect(sent!.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      await inSpan('predict process', { kind: SpanKind.SERVER, parent: contextOf(sent) }, async () => {
        await inSpan('compute', {}, async () => undefined);
      });
      const spans = exporter.getFinishedSpans();
      const byName = new Map(spans.map((s) => [s.name, s]));
      const send = byName.get('predict send')!;
      const processed = byName.get('predict process')!;
      const compute = byName.get('compute')!;
      expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
      expect(processed.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
      expect(compute.parentSpanContext?.spanId).toBe(processed.spanContext().spanId);
      expect(processed.resource.attributes['service.name']).toBe('spec');
    });

    it('reads the trace context of HTTP headers, and starts a new trace without one', async () => {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      await inSpan('http', { parent: contextOfHttp({ traceparent: `00-${traceId}-b7ad6b7169203331-01` }) }, async () => undefined);
      await inSpan('fresh', { parent: contextOf(undefined) }, async () => undefined);
      const [http, fresh] = exporter.getFinishedSpans();
      expect(http.spanContext().traceId).toBe(traceId);
      expect(http.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
      expect(fresh.spanContext().traceId).not.toBe(traceId);
      expect(fresh.parentSpanContext).toBeUndefined();
    });

    it('ends a span with an error status when its work fails, links batched work, and records timed spans', async () => {
      const a = traceHeaders(undefined, contextOfHttp({ traceparent: '00-11111111111111111111111111111111-1111111111111111-01' }));
      const b = traceHeaders(undefined, contextOfHttp({ traceparent: '00-22222222222222222222222222222222-2222222222222222-01' }));
      await expect(
        inSpan('score batch', { parent: contextOf(a), links: [contextOf(a), contextOf(b)] }, async () => {
          recordSpan('queue', 1000, 1005);
          throw new Error('no worker answered');
        }),
      ).rejects.toThrow('no worker answered');
      const spans = exporter.getFinishedSpans();
      const batch = spans.find((s) => s.name === 'score batch')!;
      const queue = spans.find((s) => s.name === 'queue')!;
      expect(batch.status).toEqual({ code: 2, message: 'no worker answered' });
      expect(batch.events.map((e) => e.name)).toEqual(['exception']);
      expect(batch.links.map((l) => l.context.traceId)).toEqual(['11111111111111111111111111111111', '22222222222222222222222222222222']);
      expect(queue.parentSpanContext?.spanId).toBe(batch.spanContext().spanId);
      expect(queue.duration).toEqual([0, 5_000_000]);
    });
  });
});
