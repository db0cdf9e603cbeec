// (In the trainer project: it trains a per-source model the way the train job does, which the e2e projects may not import.)
// OpenTelemetry end to end: every service exports its spans over OTLP/HTTP (JSON) to a collector this spec runs in
// memory. One REST predict must be one trace gateway → worker, and one log line posted to the gateway one trace
// gateway → agent → worker → registry (down to the database insert). Real NATS, Postgres, onnxruntime and services.
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { NatsConnection } from 'nats';
import { AnalysisSubjects, JetStreamNames, RegistrySubjects, agentDurable, type FeatureSchemaDto } from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { RpcClient, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { trainSourceModel } from '@loglens/source-models';
import { connectTestNats, deployVersion, dropSchema, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

const ADMIN = 'admin-key-tracing-1';
const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 1);

/** A span as the OTLP/JSON export carries it, with the service that sent it. */
interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer */
  kind: number;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}

interface OtlpExport {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: Array<{ key: string; value: OtlpValue }>;
        links?: Array<{ traceId: string; spanId: string }>;
      }>;
    }>;
  }>;
}

const valueOf = (v: OtlpValue): unknown => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.boolValue ?? v.doubleValue;

/** An OTLP/HTTP trace receiver (JSON, optionally gzipped), keeping every span in memory. */
function collector(spans: CollectedSpan[]): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const parsed = JSON.parse(body.toString('utf8')) as OtlpExport;
      for (const rs of parsed.resourceSpans ?? []) {
        const service = String(valueOf(rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value ?? {}) ?? '');
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            const attributes = Object.fromEntries((s.attributes ?? []).map((a) => [a.key, valueOf(a.value)]));
            const links = (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId }));
            spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name, kind: s.kind, attributes, links });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
}

/** ISO-stamped app lines within one minute (one window of the per-source model). */
function appLines(n: number, from: number): string[] {
  return Array.from({ length: n }, (_, k) => {
    const t = new Date(from + k * 1000).toISOString();
    return k % 2 === 0 ? `${t} INFO web[100]: GET /api/items/${k} 200 in ${k} ms` : `${t} INFO auth: user u${k} logged in from 10.0.0.${k}`;
  });
}

describe('tracing: one trace per predict and per analysed log line, across the services', () => {
  jest.setTimeout(240_000);
  const run = Date.now().toString(36);
  const modelName = `traced-${run}`;
  const source = `traced${run}`;
  const schema = uniqueSchema('tracing');
  const services: RunningService[] = [];
  const spans: CollectedSpan[] = [];
  let receiver: Server;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let base = '';
  let ref = '';
  const training: string[] = [];
  for (let m = 0; m < 300; m++) training.push(...appLines(10, START + m * MINUTE));
  const model = trainSourceModel({ sources: [source], records: training });
  const features = (model.metadata['featureSchema'] as FeatureSchemaDto).features.length;

  /** A W3C traceparent with a fresh random trace id: every span of the request's trace carries that id. */
  function traceparent(): { header: string; traceId: string } {
    const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    const traceId = hex(32);
    return { header: `00-${traceId}-${hex(16)}-01`, traceId };
  }

  /** The spans of one trace once every expected (service, name) pair has arrived. */
  async function trace(traceId: string, expected: Array<[string, RegExp]>): Promise<CollectedSpan[]> {
    let seen: string[] = [];
    return waitFor(
      `the spans of trace ${traceId}`,
      async () => {
        const mine = spans.filter((s) => s.traceId === traceId);
        seen = mine.map((s) => `${s.service}: ${s.name}`);
        return expected.every(([service, name]) => mine.some((s) => s.service === service && name.test(s.name))) ? mine : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}; got ${JSON.stringify(seen)}`);
    });
  }

  const one = (all: CollectedSpan[], service: string, name: RegExp): CollectedSpan => {
    const found = all.filter((s) => s.service === service && name.test(s.name));
    expect(found.map((s) => `${s.service}: ${s.name}`)).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    const otlpPort = await freePort();
    receiver = collector(spans);
    await new Promise<void>((resolve) => receiver.listen(otlpPort, '127.0.0.1', resolve));
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`, OTEL_BSP_SCHEDULE_DELAY: '200' };
    nc = await connectTestNats('tracing-int-spec');
    rpc = new RpcClient(nc, 20_000);
    await ensureAnalysisInfrastructure(nc);
    await (await nc.jetstreamManager()).consumers.delete(JetStreamNames.logs, agentDurable('base')).catch(() => undefined);
    const nats = { NATS_URL: testNatsUrl(), ...otel };
    services.push(await spawnService('registry', nc, { ...nats, DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema }));
    services.push(await spawnService('inference-worker', nc, nats));
    ref = await registerVersion(rpc, { model: modelName, onnx: model.onnx, metadata: model.metadata, createdBy: 'tracing-spec' });
    await deployVersion(rpc, ref, { actor: 'tracing-spec' });
    await rpc.call(RegistrySubjects.bindSource, { source, model: modelName, agent: 'base', actor: 'tracing-spec' });
    services.push(await spawnService('agent-base', nc, { ...nats, AGENT_MODEL: `tracing-default-${run}`, AGENT_IDLE_FLUSH_MS: '1000' }));
    const port = await freePort();
    services.push(await spawnService('gateway', nc, { ...nats, GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1', API_KEYS: `admin:${ADMIN}` }));
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const s of services.reverse()) await s.stop();
    await nc?.close();
    await dropSchema(schema);
    receiver?.close();
  });

  it('one REST predict is one trace: the gateway’s HTTP span → its NATS request → the worker’s predict, queue and compute', async () => {
    const { header, traceId } = traceparent();
    const res = await fetch(`${base}/api/v1/models/predict`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN, 'content-type': 'application/json', traceparent: header },
      body: JSON.stringify({ model: modelName, rows: [Array.from({ length: features }, () => 0)] }),
    });
    expect(res.status).toBe(200);
    const all = await trace(traceId, [
      ['gateway', /^POST/],
      ['gateway', /inference\.predict.* request$/],
      ['inference-worker', /inference\.predict.* process$/],
      ['inference-worker', /^compute$/],
    ]);
    const http = one(all, 'gateway', /^POST/);
    const request = one(all, 'gateway', /inference\.predict.* request$/);
    const processed = one(all, 'inference-worker', /inference\.predict.* process$/);
    const compute = one(all, 'inference-worker', /^compute$/);
    const queue = one(all, 'inference-worker', /^batch queue$/);
    expect(http.kind).toBe(2);
    expect(http.parentSpanId).toBe(header.split('-')[2]);
    expect(http.attributes['http.response.status_code']).toBe(200);
    expect(request).toMatchObject({ kind: 3, parentSpanId: http.spanId });
    expect(processed).toMatchObject({ kind: 2, parentSpanId: request.spanId });
    expect(processed.attributes['loglens.model_version']).toBe(ref);
    expect(compute.parentSpanId).toBe(processed.spanId);
    expect(queue.parentSpanId).toBe(processed.spanId);
  });

  it('one posted log line is one trace: gateway → agent window and scoring → worker → registry store and its insert', async () => {
    const { header, traceId } = traceparent();
    const lines = appLines(6, START + 400 * MINUTE);
    const res = await fetch(`${base}/api/v1/logs?source=${source}&agent=base`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN, 'content-type': 'text/plain', traceparent: header },
      body: lines.join('\n'),
    });
    expect(res.status).toBe(202);
    await waitFor('the window to be stored', async () => {
      const stored = (await rpc.call(AnalysisSubjects.listResults, { source, limit: 10 })).results;
      return stored.reduce((n, r) => n + r.recordCount, 0) >= lines.length ? stored : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    // The agent scores the windows it closed together and the registry stores results in batches: a batch span is in
    // the trace of its first window (or result) and links the others. On a shared NATS other sources' windows may be
    // in the same batch, so the batch spans are found by their trace or by a link to ours.
    const inOrLinked = (span: CollectedSpan, to: { traceId: string; spanId?: string }) =>
      (span.traceId === to.traceId && (to.spanId === undefined || span.parentSpanId === to.spanId)) || span.links.some((l) => l.traceId === to.traceId && (to.spanId === undefined || l.spanId === to.spanId));
    const found = await waitFor(
      `the spans of trace ${traceId}`,
      async () => {
        const mine = spans.filter((x) => x.traceId === traceId);
        const http = mine.find((x) => x.service === 'gateway' && /^POST/.test(x.name));
        const window = mine.find((x) => x.service === 'agent-base' && x.name === 'window');
        const scoring = spans.find((x) => x.service === 'agent-base' && x.name === 'score windows' && inOrLinked(x, { traceId }));
        const store = window && spans.find((x) => x.service === 'registry' && /store$/.test(x.name) && inOrLinked(x, { traceId, spanId: window.spanId }));
        const requests = scoring ? spans.filter((x) => x.service === 'agent-base' && /inference\.predict.* request$/.test(x.name) && x.parentSpanId === scoring.spanId) : [];
        const predicts = spans.filter((x) => x.service === 'inference-worker' && /inference\.predict.* process$/.test(x.name) && requests.some((r) => r.spanId === x.parentSpanId));
        const inserts = store ? spans.filter((x) => x.service === 'registry' && x.name === 'INSERT' && x.parentSpanId === store.spanId) : [];
        return http && window && scoring && store && requests.length > 0 && predicts.length === requests.length && inserts.length > 0
          ? { http, window, scoring, store, requests, predicts, inserts }
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const { http, window, scoring, store, requests, inserts } = found;
    // the agent continues the line's trace: the record carried the gateway request's context through JetStream
    expect(window).toMatchObject({ kind: 4, parentSpanId: http.spanId });
    expect(window.attributes).toMatchObject({ 'loglens.source': source, 'loglens.records': lines.length, 'loglens.model_version': ref });
    // scoring is in the line's trace (a child of the request) or, batched behind another window, linked to it
    expect(scoring.traceId === traceId ? scoring.parentSpanId === http.spanId : scoring.links.some((l) => l.traceId === traceId)).toBe(true);
    // one predict, and a second one explaining the flagged windows when the first flags any; each answered by a worker span
    expect(requests.length).toBeGreaterThanOrEqual(1);
    // the stored result carried the window's context to the registry, and the insert is a child of the store
    expect(store.kind).toBe(5);
    expect(inserts[0].attributes['db.query.text']).toMatch(/analysis_results/);
  });
});
