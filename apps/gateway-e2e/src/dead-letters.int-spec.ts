import { AckPolicy, DeliverPolicy, nanos, type JsMsg, type NatsConnection } from 'nats';
import {
  AnalysisSubjects,
  DEAD_LETTER_PREVIEW_CHARS,
  DeadLetterSubjects,
  JetStreamNames,
  LogSubjects,
  REGISTRY_RESULTS_DURABLE,
  RegistrySubjects,
  jetStreamName,
  type DeadLetterDto,
  type ListDeadLettersReply,
} from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { RpcClient, deadLetter, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { connectTestNats, dropSchema, errorOf, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, windowResult, type RunningService } from '@loglens/testing';

const ADMIN = 'admin-key-deadletters-1';
const OPERATOR = 'operator-key-deadletters-1';
const VIEWER = 'viewer-key-deadletters-1';

interface Reply<T> {
  status: number;
  body: T & { code?: string; message?: string };
  text: string;
}

/**
 * Poison messages, visible: a log record a LOGS consumer gave up on and a malformed window result the registry's
 * results consumer set aside, both read back through GET /model-management/dead-letters (real registry, Postgres,
 * NATS with per-service permissions, gateway).
 */
describe('dead letters through the gateway', () => {
  const schema = uniqueSchema('e2e_deadletters');
  const source = `dl${Date.now().toString(36)}`;
  // a log record far longer than a preview: the listing must never carry it whole
  const poisonLog = `{"message": "${'\u0000\u0007poison '.repeat(800)}", "source": "${source}"}`;
  const badResultId = 'x'.repeat(65);
  /** the LOGS consumer that gives up on the record (an agent does so after MAX_DELIVERIES deliveries) */
  const logsDurable = jetStreamName('dead-letter-spec');
  let nc: NatsConnection;
  let registry: RunningService;
  let gateway: RunningService;
  let base = '';

  async function get<T>(path: string, key: string | null = OPERATOR): Promise<Reply<T>> {
    const res = await fetch(`${base}${path}`, { headers: key ? { 'x-api-key': key } : {} });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Reply<T>['body'], text };
  }

  const ours = (items: DeadLetterDto[]) => items.filter((d) => d.subject?.endsWith(`.${source}`));

  beforeAll(async () => {
    nc = await connectTestNats('deadletters-int-spec');
    await ensureAnalysisInfrastructure(nc);
    registry = await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema });
    const port = await freePort();
    gateway = await spawnService('gateway', nc, {
      NATS_URL: testNatsUrl(),
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: '127.0.0.1',
      API_KEYS: `admin:${ADMIN},operator:${OPERATOR},viewer:${VIEWER}`,
    });
    base = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await registry?.stop();
    await nc?.jetstreamManager().then((jsm) => jsm.consumers.delete(JetStreamNames.logs, logsDurable)).catch(() => undefined);
    await nc?.close();
    await dropSchema(schema);
  });

  it('lists a poison log record and a malformed analysis result, newest first, with their reasons and a short preview', async () => {
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    const logSubject = `${LogSubjects.generic}.${source}`;
    await jsm.consumers.add(JetStreamNames.logs, {
      durable_name: logsDurable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      filter_subject: logSubject,
      ack_wait: nanos(30_000),
      max_deliver: 3,
    });
    await js.publish(logSubject, new TextEncoder().encode(poisonLog));
    // a consumer that cannot process the record: it comes back until the consumer gives up and sets it aside
    // through the same deadLetter() the agents use
    const consumer = await js.consumers.get(JetStreamNames.logs, logsDurable);
    const given = await waitFor('the poison record to reach its last delivery', async (): Promise<JsMsg | undefined> => {
      const m = await consumer.next({ expires: 1000 });
      if (!m) return undefined;
      if (m.info.deliveryCount < 3) {
        m.nak();
        return undefined;
      }
      return m;
    }, { timeoutMs: 30_000 });
    await deadLetter(nc, DeadLetterSubjects.logs, given, `delivered ${given.info.deliveryCount} times without being analysed`);

    // the registry's results consumer dead-letters a result whose id is too long (and stores nothing of it)
    const result = windowResult({ id: badResultId, source });
    await js.publish(`${AnalysisSubjects.results}.${source}`, new TextEncoder().encode(JSON.stringify(result)));

    const page = await waitFor('both dead letters in the listing', async () => {
      const r = await get<ListDeadLettersReply>('/model-management/dead-letters');
      expect(r.status).toBe(200);
      return ours(r.body.items).length >= 2 ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    const [analysis, log] = ours(page.body.items);

    expect(analysis).toMatchObject({
      stream: JetStreamNames.analysis,
      subject: `${AnalysisSubjects.results}.${source}`,
      consumer: REGISTRY_RESULTS_DURABLE,
      reason: expect.stringMatching(/"id" is longer than 64 characters/),
      deliveries: 1,
    });
    expect(analysis.preview).toContain(badResultId);
    expect(log).toMatchObject({
      stream: JetStreamNames.logs,
      subject: `${LogSubjects.generic}.${source}`,
      consumer: logsDurable,
      reason: 'delivered 3 times without being analysed',
      deliveries: 3,
      size: new TextEncoder().encode(poisonLog).length,
      truncated: true,
    });
    // newest first, each with the time it was set aside
    expect(analysis.seq).toBeGreaterThan(log.seq);
    expect(Date.parse(analysis.at)).toBeGreaterThanOrEqual(Date.parse(log.at));
    // a preview, never the payload: control characters shown, the text cut
    expect(Array.from(log.preview)).toHaveLength(DEAD_LETTER_PREVIEW_CHARS);
    expect(log.preview.startsWith('{"message": "··poison ··poison')).toBe(true);
    expect(page.text).not.toContain('poison '.repeat(100));
  });

  it('filters by consumer and pages back with before=', async () => {
    const byRegistry = await get<ListDeadLettersReply>(`/model-management/dead-letters?consumer=${REGISTRY_RESULTS_DURABLE}`);
    expect(byRegistry.status).toBe(200);
    expect(byRegistry.body.items.length).toBeGreaterThan(0);
    expect(byRegistry.body.items.every((d) => d.consumer === REGISTRY_RESULTS_DURABLE)).toBe(true);
    expect(ours(byRegistry.body.items).map((d) => d.subject)).toEqual([`${AnalysisSubjects.results}.${source}`]);

    const all = (await get<ListDeadLettersReply>('/model-management/dead-letters?limit=500')).body.items;
    const first = await get<ListDeadLettersReply>('/model-management/dead-letters?limit=1');
    expect(first.body.items.map((d) => d.seq)).toEqual([all[0].seq]);
    expect(first.body.next).toBe(all[0].seq);
    const second = await get<ListDeadLettersReply>(`/model-management/dead-letters?limit=1&before=${first.body.next}`);
    expect(second.body.items.map((d) => d.seq)).toEqual([all[1].seq]);
    // the oldest page says nothing older is left
    const last = await get<ListDeadLettersReply>(`/model-management/dead-letters?before=${all[all.length - 1].seq + 1}`);
    expect(last.body.items.map((d) => d.seq)).toEqual([all[all.length - 1].seq]);
    expect(last.body.next).toBeUndefined();
  });

  it('lets operators and admins read them, refuses viewers and callers without a key', async () => {
    expect((await get('/model-management/dead-letters', ADMIN)).status).toBe(200);
    const viewer = await get('/model-management/dead-letters', VIEWER);
    expect(viewer.status).toBe(403);
    expect(viewer.body.code).toBe('FORBIDDEN');
    expect((await get('/model-management/dead-letters', null)).status).toBe(401);
  });

  it('is in the OpenAPI document with its query parameters and answer', async () => {
    const doc = (await (await fetch(`${base}/docs/openapi.json`)).json()) as {
      paths: Record<string, { get?: { parameters?: Array<{ name: string; in: string }>; responses?: Record<string, unknown>; tags?: string[] } }>;
    };
    const op = doc.paths['/model-management/dead-letters']?.get;
    expect(op?.tags).toEqual(['model-management']);
    expect((op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['before', 'consumer', 'limit']);
    expect(op?.responses?.['200']).toBeDefined();
  });

  it('answers 400 naming the bad query value', async () => {
    const cases: Array<[string, RegExp]> = [
      ['limit=0', /limit must be at least 1/],
      ['limit=501', /limit must be at most 500/],
      ['limit=ten', /limit must be an integer/],
      ['limit=1.5', /limit must be an integer/],
      ['before=-3', /before must be at least 1/],
      ['before=abc', /before must be an integer/],
      ['consumer=a%20b', /consumer must be a durable consumer name/],
      [`consumer=${'c'.repeat(65)}`, /consumer must be a durable consumer name/],
      ['subject=x', /subject/],
    ];
    for (const [query, message] of cases) {
      const r = await get(`/model-management/dead-letters?${query}`);
      expect({ query, status: r.status, code: r.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
      expect(r.body.message).toMatch(message);
    }
    // the registry checks the request itself too: a typed error, not a crash or a 5,000-message scan
    const rpc = new RpcClient(nc, 15_000);
    for (const req of [{ limit: 501 }, { before: 0 }, { consumer: 'a.b' }]) {
      expect((await errorOf(rpc.call(RegistrySubjects.listDeadLetters, req))).code).toBe('VALIDATION_FAILED');
    }
  });
});
