import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import { HealthSubjects, InferenceSubjects } from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { scatterGather } from '@loglens/nest-common';
import { connectTestNats, dropSchema, eventsUrl, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, workspaceRoot, type RunningService } from '@loglens/testing';

const ADMIN = 'admin-key-hardening-1';
const OPERATOR = 'operator-key-hardening-1';
const VIEWER = 'viewer-key-hardening-1';
const KEYS = `admin:${ADMIN},operator:${OPERATOR},viewer:${VIEWER}`;
const CONSOLE_ORIGIN = 'https://console.example';

interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

async function call<T = Record<string, unknown>>(url: string, init: { method?: string; key?: string | null; headers?: Record<string, string>; body?: string | Buffer; type?: string } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key) headers['x-api-key'] = init.key;
  if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
  const sent = typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body);
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: sent });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // HTML or text
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

const nested = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

/**
 * The gateway's defences on real processes: security headers and CORS, rate limits ahead of auth and body parsing,
 * SSE caps, too-deep JSON and impossible dates, the public readiness body, and an abandoned analyze call stopped on
 * the agent. Three gateways: one with the default limits, two with tiny ones (with and without TRUST_PROXY).
 */
describe('gateway hardening: headers, limits, readiness, abandoned analyze calls', () => {
  const schema = uniqueSchema('e2e_hardening');
  let nc: NatsConnection;
  const services: RunningService[] = [];
  let main = '';
  let limited = '';
  let proxied = '';

  async function gateway(env: Record<string, string>): Promise<string> {
    const port = await freePort();
    services.push(await spawnService('gateway', nc, { NATS_URL: testNatsUrl(), GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1', API_KEYS: KEYS, ...env }));
    return `http://127.0.0.1:${port}`;
  }

  /** The analyze figures of the agent-base instances, straight from their health answers. */
  async function analyzeStats(): Promise<{ inFlight: number; cancelled: number }> {
    const replies = await scatterGather(nc, HealthSubjects.ping, 250);
    const agent = replies.find((r) => r.service === 'agent-base');
    const analyze = agent?.details?.['analyze'] as { inFlight: number; cancelled: number } | undefined;
    // the two counts this spec follows (the details also carry the lines analyzed per second)
    return analyze ? { inFlight: analyze.inFlight, cancelled: analyze.cancelled } : { inFlight: -1, cancelled: -1 };
  }

  beforeAll(async () => {
    nc = await connectTestNats('hardening-int-spec');
    services.push(await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema }));
    services.push(await spawnService('agent-base', nc, { NATS_URL: testNatsUrl(), AGENT_CONSUME: 'false' }));
    [main, limited, proxied] = await Promise.all([
      gateway({ CORS_ORIGINS: CONSOLE_ORIGIN, SSE_MAX_PER_KEY: '2', SSE_MAX_TOTAL: '3', BODY_LIMIT: '50mb' }),
      gateway({ RATE_LIMIT_KEY_PER_MIN: '5', RATE_LIMIT_ANON_PER_MIN: '3', RATE_LIMIT_PREDICT_PER_MIN: '50' }),
      gateway({ RATE_LIMIT_KEY_PER_MIN: '5', RATE_LIMIT_ANON_PER_MIN: '3', TRUST_PROXY: 'loopback' }),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const s of services.reverse()) await s.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('sends security headers with a CSP the console runs under (its inline onload hashed), and no X-Powered-By', async () => {
    const page = await call(`${main}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-powered-by')).toBeNull();
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    // every inline handler of the built console is allowed by its hash, and nothing else inline
    const html = readFileSync(path.join(workspaceRoot(), 'dist/apps/admin/browser/index.html'), 'utf8');
    const handlers = [...html.matchAll(/\son[a-z]+="([^"]*)"/g)].map((m) => m[1]);
    expect(handlers.length).toBeGreaterThan(0);
    for (const h of handlers) expect(csp).toContain(`'sha256-${createHash('sha256').update(h).digest('base64')}'`);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // refusals carry them too
    const refused = await call(`${main}/api/v1/models`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-powered-by')).toBeNull();
    expect(refused.headers.get('content-security-policy')).toBe(csp);
  });

  it('answers CORS only for the origins in CORS_ORIGINS, and no cross-origin access by default', async () => {
    const preflight = (base: string, origin: string) =>
      call(`${base}/api/v1/models`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' } });
    const allowed = await preflight(main, CONSOLE_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-api-key/);
    expect((await preflight(main, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(limited, CONSOLE_ORIGIN)).headers.get('access-control-allow-origin')).toBeNull();
    const get = await call(`${main}/api/v1/models`, { key: VIEWER, headers: { origin: CONSOLE_ORIGIN } });
    expect(get.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
  });

  it('rate-limits per key before the body is read (429 + Retry-After), with a budget of its own for predict', async () => {
    for (let i = 0; i < 5; i++) expect((await call(`${limited}/api/v1/auth/whoami`, { key: OPERATOR })).status).toBe(200);
    const throttled = await call<{ code: string; message: string }>(`${limited}/api/v1/auth/whoami`, { key: OPERATOR });
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ code: 'OVERLOADED', message: expect.stringMatching(/5 requests a minute per API key/) });
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // a 9 MiB body that would be a 400 once parsed: refused first, unread
    const big = await call(`${limited}/model-management/rollback`, { method: 'POST', key: OPERATOR, body: Buffer.alloc(9 * 1024 * 1024, '{') });
    expect(big.status).toBe(429);
    // predict has its own, larger budget; another key has its own budget too
    expect((await call(`${limited}/api/v1/models/predict`, { method: 'POST', key: OPERATOR, body: '{"rows": [' })).status).toBe(400);
    expect((await call(`${limited}/api/v1/auth/whoami`, { key: VIEWER })).status).toBe(200);
  });

  it('rate-limits anonymous callers per IP, from X-Forwarded-For only when TRUST_PROXY is set; refused keys count as anonymous', async () => {
    // without TRUST_PROXY the header is ignored: every request comes from 127.0.0.1, whatever it claims
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(`${limited}/health/live`, { headers: { 'x-forwarded-for': `10.0.0.${i}` } })).status);
    expect(statuses.slice(3)).toEqual([429, 429]);

    for (let i = 0; i < 3; i++) expect((await call(`${proxied}/health/live`, { headers: { 'x-forwarded-for': '10.1.0.1' } })).status).toBe(200);
    expect((await call(`${proxied}/health/live`, { headers: { 'x-forwarded-for': '10.1.0.1' } })).status).toBe(429);
    expect((await call(`${proxied}/health/live`, { headers: { 'x-forwarded-for': '10.1.0.2' } })).status).toBe(200);

    // guessing keys from one address: each refused key spends the address's anonymous budget
    for (let i = 0; i < 3; i++) expect((await call(`${proxied}/api/v1/models`, { key: `guess-${i}`, headers: { 'x-forwarded-for': '10.1.0.3' } })).status).toBe(401);
    expect((await call(`${proxied}/api/v1/models`, { key: 'guess-4', headers: { 'x-forwarded-for': '10.1.0.3' } })).status).toBe(429);
    // a valid key from elsewhere is not affected
    expect((await call(`${proxied}/api/v1/auth/whoami`, { key: VIEWER, headers: { 'x-forwarded-for': '10.1.0.4' } })).status).toBe(200);
  });

  it('caps SSE streams per key and in total (429 JSON), and frees a slot when a stream closes', async () => {
    const open: AbortController[] = [];
    const stream = async (key: string) => {
      const abort = new AbortController();
      const res = await fetch(await eventsUrl(main, key), { signal: abort.signal });
      if (res.status === 200) {
        open.push(abort);
        return { status: res.status, retryAfter: null, body: null };
      }
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { code: string; message: string } };
    };
    try {
      expect((await stream(VIEWER)).status).toBe(200);
      expect((await stream(VIEWER)).status).toBe(200);
      const perKey = await stream(VIEWER);
      expect(perKey).toMatchObject({ status: 429, retryAfter: expect.any(String), body: { code: 'OVERLOADED', message: expect.stringMatching(/SSE_MAX_PER_KEY=2/) } });
      expect((await stream(OPERATOR)).status).toBe(200);
      expect(await stream(ADMIN)).toMatchObject({ status: 429, body: { message: expect.stringMatching(/SSE_MAX_TOTAL=3/) } });
      // a client goes away: its slot is free again
      open.shift()?.abort();
      await waitFor('a freed SSE slot', async () => ((await stream(ADMIN)).status === 200 ? true : undefined), { timeoutMs: 10_000 });
    } finally {
      for (const a of open) a.abort();
    }
  });

  it('answers too-deep JSON with a 400 naming the limit, on the JSON routes, predict and the log inputs', async () => {
    const deep = nested(100);
    const analyze = await call<{ code: string; message: string }>(`${main}/api/v1/models/analyze`, { method: 'POST', key: VIEWER, body: deep });
    expect(analyze.status).toBe(400);
    expect(analyze.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/deeper than 64 .*JSON_MAX_DEPTH/) });
    expect((await call(`${main}/api/v1/models/predict`, { method: 'POST', key: VIEWER, body: `{"model":"m","rows":${nested(100)}}` })).status).toBe(400);
    expect((await call(`${main}/model-management/rollback`, { method: 'POST', key: OPERATOR, body: `{"model":${nested(100_000)}}` })).body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/JSON_MAX_DEPTH/) });
    const bulk = await call(`${main}/api/v1/logs?source=deep`, { method: 'POST', key: VIEWER, type: 'application/x-ndjson', body: `{"message":"ok"}\n{"message":"x","f":${nested(100)}}\n` });
    expect(bulk).toMatchObject({ status: 400, body: { message: expect.stringMatching(/on one line/) } });
    const otlp = await call(`${main}/v1/logs`, { method: 'POST', key: VIEWER, body: `{"resourceLogs":${nested(100)}}` });
    expect(otlp).toMatchObject({ status: 400, body: { message: expect.stringMatching(/JSON_MAX_DEPTH/) } });
    // 64 levels are fine
    expect((await call(`${main}/api/v1/models/analyze`, { method: 'POST', key: VIEWER, body: nested(63, '"a log line"') })).status).not.toBe(400);
  });

  it('answers impossible dates in every date query parameter with a 400 naming it', async () => {
    for (const [route, key] of [
      ['/api/v1/analysis/results?from=2026-02-31', VIEWER],
      ['/api/v1/analysis/results?to=2026-02-30T10:00:00Z', VIEWER],
      ['/model-management/history?from=2026-02-31T00:00:00Z', VIEWER],
      ['/model-management/history?to=2026-13-01', VIEWER],
      ['/model-management/audit?from=2026-02-31', ADMIN],
    ] as const) {
      const res = await call<{ code: string; message: string }>(`${main}${route}`, { key });
      expect({ route, status: res.status, code: res.body.code }).toEqual({ route, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.message).toMatch(/(from|to) must be an ISO 8601 time/);
    }
    expect((await call(`${main}/api/v1/analysis/results?from=2026-02-28&to=2026-03-01`, { key: VIEWER })).status).toBe(200);
  });

  it('answers /health/ready with {status} only without a key, and every service with one', async () => {
    const open = await call(`${main}/health/ready`);
    expect(open.body).toEqual({ status: expect.stringMatching(/^(ready|not-ready)$/) });
    const keyed = await call<{ status: string; services: Record<string, { details: unknown[] }>; missing: string[] }>(`${main}/health/ready`, { key: VIEWER });
    expect(keyed.status).toBe(open.status);
    expect(keyed.body).toMatchObject({ status: open.body['status'], missing: expect.any(Array) });
    expect(keyed.body.services['registry'].details).toEqual([expect.objectContaining({ instanceId: expect.any(String) })]);
    expect((await call(`${main}/health/ready`, { key: 'not-a-key' })).status).toBe(401);
  });

  it('stops the agent working on an analyze call whose HTTP client went away', async () => {
    expect(await analyzeStats()).toEqual({ inFlight: 0, cancelled: 0 });
    // a worker that takes every predict and never answers (an overloaded pool): the agent is still waiting on its
    // windows' scores when the client goes away — how long it parses and windows the lines does not matter
    const heldWorker = nc.subscribe(InferenceSubjects.predict);
    let predictsHeld = 0;
    void (async () => {
      for await (const _ of heldWorker) predictsHeld++;
    })();
    // 10,000 varied lines
    const records = Array.from({ length: 10_000 }, (_, i) => `2026-12-01T10:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z host-${i % 37} proc[${i}]: user u${i % 101} opened session ${i * 7919} from 10.${i % 255}.${(i * 7) % 255}.${(i * 13) % 255} port ${1024 + (i % 60000)} ${'x'.repeat(i % 200)}`);
    const abort = new AbortController();
    const pending = fetch(`${main}/api/v1/models/analyze`, { method: 'POST', headers: { 'x-api-key': VIEWER, 'content-type': 'application/json' }, body: JSON.stringify(records), signal: abort.signal }).catch((e: Error) => e);
    await waitFor('the agent to wait on the workers', async () => ((await analyzeStats()).inFlight === 1 && predictsHeld > 0 ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
    abort.abort();
    const outcome = await pending;
    // the call must have been cut short by the abort, not answered: name what came back when it was
    const seen = outcome instanceof Response ? `an answer: HTTP ${outcome.status} ${await outcome.text().catch(() => '')}`.slice(0, 300) : `${(outcome as Error).name}: ${(outcome as Error).message}`;
    expect(seen).toMatch(/^AbortError/);
    const after = await waitFor('the agent to stop', async () => {
      const s = await analyzeStats();
      return s.inFlight === 0 ? s : undefined;
    }, { timeoutMs: 10_000, intervalMs: 20 });
    expect(after.cancelled).toBe(1);
    const agent = services.find((s) => s.name === 'agent-base');
    expect(agent?.output()).toMatch(/analyze [0-9a-f-]{36} stopped: its caller went away/);
    heldWorker.unsubscribe();
    // a call that waits for its answer is not cancelled (this spec runs no inference worker: its windows cannot be
    // scored, so the answer is the agent's 503 for that, after the whole analysis)
    const done = await call<{ code: string; message: string }>(`${main}/api/v1/models/analyze`, { method: 'POST', key: VIEWER, body: JSON.stringify(records.slice(0, 50)) });
    expect(done.body.code).not.toBe('CANCELLED');
    expect(await analyzeStats()).toEqual({ inFlight: 0, cancelled: 1 });
  });
});
