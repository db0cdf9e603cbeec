// (In the trainer project: it trains the per-source model the way the train job does, which the e2e projects may not import.)
// Live drift end to end: a per-source model trained here (with its reference profile) serves the base agent; a
// normal stretch of the source, then a shifted one (slow queries ×5, a new fan-failure line at ~2 % of lines), then
// one whose logins per minute (a numeric column) move up by 2 σ of the training windows', are streamed through LOGS. The agent folds what it scores into 1-second profile buckets, the registry stores and
// compares them, and the gateway answers GET /model-management/{version}/drift, relays drift.detected on SSE and
// exposes the gauges. Real NATS, Postgres, onnxruntime, agent, worker, registry and gateway.
import type { NatsConnection } from 'nats';
import { AnalysisSubjects, JetStreamNames, LogSubjects, RegistrySubjects, agentDurable, type DriftReportReply, type FeatureSchemaDto } from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { RpcClient, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { trainSourceModel } from '@loglens/source-models';
import { connectTestNats, deployVersion, dropSchema, eventsUrl, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 1);
const VIEWER = 'viewer-key-drift-1';
/** the registry compares the last CHECK_WINDOW_MS each check */
const CHECK_WINDOW_MS = 12_000;

/** A normal app (logins, requests, cache evictions, 3 % slow-query warnings), ISO-stamped, from a fixed LCG. */
function appLog(minutes: number, from: number, seed: number, shift: { slowQueryTimes?: number; newEvery?: number; extraLogins?: number } = {}): string[] {
  let x = seed;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: string[] = [];
  for (let m = 0; m < minutes; m++) {
    const n = 8 + Math.floor(rnd() * 6);
    for (let k = 0; k < n; k++) {
      const t = new Date(from + m * MINUTE + Math.floor((k / n) * MINUTE)).toISOString();
      const r = rnd();
      if (r < 0.5) out.push(`${t} INFO web[${100 + (k % 3)}]: GET /api/items/${Math.floor(rnd() * 900)} 200 in ${Math.floor(rnd() * 40)} ms`);
      else if (r < 0.8) out.push(`${t} INFO auth: user u${Math.floor(rnd() * 50)} logged in from 10.0.${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 200)}`);
      else if (r < 0.97) out.push(`${t} INFO cache: evicted ${Math.floor(rnd() * 30)} entries`);
      else for (let c = 0; c < (shift.slowQueryTimes ?? 1); c++) out.push(`${t} WARN db: slow query took ${200 + Math.floor(rnd() * 300)} ms`);
      if (shift.newEvery && out.length % shift.newEvery === 0) out.push(`${t} WARN fan: fan ${Math.floor(rnd() * 4)} failed at ${Math.floor(rnd() * 9000)} rpm`);
    }
    // `extraLogins` more logins per minute on average: its whole part every minute, its fraction as a coin flip
    if (shift.extraLogins) {
      const extra = Math.floor(shift.extraLogins) + (rnd() < shift.extraLogins % 1 ? 1 : 0);
      for (let k = 0; k < extra; k++) {
        const t = new Date(from + m * MINUTE + Math.floor(((k + 0.5) / (extra + 1)) * MINUTE)).toISOString();
        out.push(`${t} INFO auth: user u${Math.floor(rnd() * 50)} logged in from 10.0.${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 200)}`);
      }
    }
  }
  return out;
}

describe('live drift: agent profiles → registry buckets → drift API, SSE and gauges', () => {
  jest.setTimeout(300_000);
  const run = Date.now().toString(36);
  const modelName = `drift-app-${run}`;
  const source = `driftapp${run}`;
  const schema = uniqueSchema('drift');
  const services: RunningService[] = [];
  const sse: string[] = [];
  const sseAbort = new AbortController();
  let nc: NatsConnection;
  let rpc: RpcClient;
  let base = '';
  let ref = '';
  const model = trainSourceModel({ sources: [source], records: appLog(600, START, 7) });
  const columns = (model.metadata['featureSchema'] as FeatureSchemaDto).features;
  const columnOf = (text: string): string => columns.find((f) => f.description?.includes(text))!.name;

  async function get<T>(route: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${base}${route}`, { headers: { 'x-api-key': VIEWER } });
    return { status: res.status, body: (await res.json()) as T };
  }

  const drift = (query: string) => get<DriftReportReply & { code?: string; message?: string }>(`/model-management/${ref}/drift?${query}`);
  const range = (from: number, to: number) => `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;

  async function publish(lines: string[]): Promise<void> {
    const js = nc.jetstream();
    for (let i = 0; i < lines.length; i += 500) {
      await Promise.all(lines.slice(i, i + 500).map((l) => js.publish(`${LogSubjects.generic}.${source}`, new TextEncoder().encode(l))));
    }
  }

  /**
   * Waits until every published line (`lines` in all) is in a stored window and each of the windows after the first
   * `windowsBefore` is in a stored profile bucket from `since` on. Returns the report and the windows stored in all.
   */
  async function settled(lines: number, since: number, windowsBefore = 0): Promise<{ reply: DriftReportReply; windows: number }> {
    const windows = await waitFor(
      'every line in a stored window',
      async () => {
        const results = (await rpc.call(AnalysisSubjects.listResults, { source, limit: 1000 })).results;
        return results.reduce((n, r) => n + r.recordCount, 0) >= lines ? results.length : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    let seen = 'nothing yet';
    const reply = await waitFor(
      'every scored window in the stored profile buckets',
      async () => {
        const r = (await drift(range(since, Date.now() + 1000))).body;
        seen = `${r.state}, ${r.report?.currentWindows ?? 0} of ${windows - windowsBefore} windows`;
        return r.state === 'ok' && r.report && r.report.currentWindows >= windows - windowsBefore ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    ).catch((e: Error) => {
      throw new Error(`${e.message} (last report: ${seen})`);
    });
    expect(reply.report!.currentWindows).toBe(windows - windowsBefore);
    return { reply, windows };
  }

  beforeAll(async () => {
    nc = await connectTestNats('drift-int-spec');
    rpc = new RpcClient(nc, 20_000);
    await ensureAnalysisInfrastructure(nc);
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.delete(JetStreamNames.logs, agentDurable('base')).catch(() => undefined);
    const nats = { NATS_URL: testNatsUrl() };
    services.push(await spawnService('registry', nc, { ...nats, DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema, DRIFT_CHECK_MS: '1000', DRIFT_CHECK_WINDOW_MS: String(CHECK_WINDOW_MS) }));
    services.push(await spawnService('inference-worker', nc, nats));
    ref = await registerVersion(rpc, { model: modelName, onnx: model.onnx, metadata: model.metadata, createdBy: 'drift-spec' });
    await deployVersion(rpc, ref, { actor: 'drift-spec' });
    // the model scores this source only (a per-source binding, as the train job sets up); the agent's default model
    // does not exist, so whatever else LOGS holds (other specs' sources, on a shared NATS) is not profiled under it
    await rpc.call(RegistrySubjects.bindSource, { source, model: modelName, agent: 'base', actor: 'drift-spec' });
    services.push(await spawnService('agent-base', nc, { ...nats, AGENT_MODEL: `drift-default-${run}`, AGENT_IDLE_FLUSH_MS: '1000', AGENT_ACK_WAIT_MS: '10000', AGENT_DRIFT_BUCKET_MS: '1000' }));
    const port = await freePort();
    services.push(await spawnService('gateway', nc, { ...nats, GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1', API_KEYS: `viewer:${VIEWER}` }));
    base = `http://127.0.0.1:${port}`;
    const res = await fetch(await eventsUrl(base, VIEWER), { signal: sseAbort.signal });
    const reader = res.body!.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        sse.push(new TextDecoder().decode(value));
      }
    })();
  }, 180_000);

  afterAll(async () => {
    sseAbort.abort();
    for (const s of services.reverse()) await s.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('answers 400 naming a bad window or date, 404 for an unknown version, and "no-data" before any traffic', async () => {
    const badWindow = await drift('window=2h');
    expect(badWindow.status).toBe(400);
    expect(badWindow.body.message).toMatch(/window must be one of 1h, 24h, 7d/);
    const badDate = await drift('from=2026-02-31T00:00:00Z');
    expect(badDate.status).toBe(400);
    expect(badDate.body.message).toMatch(/^from must be an ISO 8601 time/);
    const reversed = await drift(range(Date.now(), Date.now() - 1000));
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toMatch(/from must be before to/);
    const unknown = await get<{ code: string; message: string }>(`/model-management/no-such-model-${run}@1/drift`);
    expect(unknown.status).toBe(404);
    const empty = await drift('window=1h');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ version: ref, state: 'no-data', report: null });
  });

  it('reports no drift over a normal stretch, then drift on the shifted template’s column, the mix and unseen templates, with drift.detected on SSE and the gauges', async () => {
    // buckets start on whole seconds (AGENT_DRIFT_BUCKET_MS=1000): a range from mid-second would miss the first one
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    const normal = appLog(300, START + 600 * MINUTE, 99);
    await publish(normal);
    const before = await settled(normal.length, t0);
    const calm = before.reply.report!;
    expect(calm.referenceOrigin).toBe('training');
    expect(calm.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual([]);
    expect(calm.dataset.drifted).toBe(false);
    expect(calm.templates!.drifted).toBe(false);
    expect(calm.unseenTemplates!.rate).toBeLessThan(0.01);
    // the periodic check has seen the normal stretch (its gauges are out) and announced nothing
    await waitFor('the gauges of the normal stretch', async () => ((await (await fetch(`${base}/metrics`)).text()).includes(`loglens_feature_drift{model="${modelName}"`) ? true : undefined), { timeoutMs: 30_000, intervalMs: 500 });
    expect(sse.join('')).not.toContain('drift-detected');
    // the check window no longer holds the normal stretch, so the next check compares only what follows
    await waitFor('the check window to move past the normal stretch', async () => ((await drift(range(Date.now() - CHECK_WINDOW_MS, Date.now()))).body.state === 'no-data' ? true : undefined), { timeoutMs: 60_000, intervalMs: 500 });
    expect(sse.join('')).not.toContain('drift-detected');

    const t1 = Math.floor(Date.now() / 1000) * 1000;
    const shifted = appLog(300, START + 900 * MINUTE, 99, { slowQueryTimes: 5, newEvery: 50 });
    await publish(shifted);
    await settled(normal.length + shifted.length, t1, before.windows);
    const after = (await drift(range(t1, Date.now() + 1000))).body;
    expect(after.state).toBe('ok');
    const report = after.report!;
    const driftedFeatures = report.features.filter((f) => f.drifted).map((f) => f.feature);
    expect(driftedFeatures).toContain(columnOf('slow query'));
    expect(driftedFeatures).not.toContain(columnOf('logged in'));
    const slow = report.features.find((f) => f.feature === columnOf('slow query'))!;
    expect(slow).toMatchObject({ statistic: 'ks', drifted: true });
    expect(slow.value!).toBeLessThan(slow.threshold);
    expect(slow.current.mean!).toBeGreaterThan(slow.reference.mean!);
    expect(report.templates!.drifted).toBe(true);
    expect(report.unseenTemplates).toMatchObject({ drifted: true });
    expect(report.unseenTemplates!.examples[0].template).toBe('fan <*> failed at <*> rpm');
    expect(after.sources).toEqual([expect.objectContaining({ source })]);
    expect(after.sources[0].unseenRate).toBeGreaterThan(0.01);
    // the normal range still reads as it did
    expect((await drift(range(t0, t1))).body.report!.features.filter((f) => f.drifted)).toEqual([]);

    const detected = await waitFor('drift.detected on SSE', () => {
      const m = /event: registry\.events\.drift-detected\.v1\n(?:id: [^\n]*\n)?data: (.+)\n/.exec(sse.join(''));
      return m ? (JSON.parse(m[1]) as { version: string; drifted: string[] }) : undefined;
    }, { timeoutMs: 60_000, intervalMs: 300 });
    expect(detected.version).toBe(ref);
    expect(detected.drifted).toContain(columnOf('slow query'));
    const metrics = await waitFor('the shifted stretch in the gauges', async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return text.includes(`loglens_unseen_template_rate{source="${source}"}`) ? text : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(metrics).toMatch(new RegExp(`loglens_feature_drift\\{model="${modelName}",version="${ref}",feature="${columnOf('slow query')}",statistic="ks"\\} `));
  });

  it('reports drift on the numeric column whose mean moved by 2 σ (logins per minute), after drift.cleared on SSE', async () => {
    // the template shift's drift clears once the check window holds no shifted minute
    await waitFor('drift.cleared on SSE', () => (sse.join('').includes('event: registry.events.drift-cleared.v1') ? true : undefined), { timeoutMs: 90_000, intervalMs: 300 });
    const logins = columnOf('logged in');
    const reference = (model.metadata['referenceProfile'] as { features: Record<string, { n: number; sum: number; sumSq: number }> }).features[logins];
    const mean = reference.sum / reference.n;
    const sigma = Math.sqrt(reference.sumSq / reference.n - mean * mean);
    expect(sigma).toBeGreaterThan(0.5);

    const detections = (): Array<{ version: string; drifted: string[] }> =>
      [...sse.join('').matchAll(/event: registry\.events\.drift-detected\.v1\n(?:id: [^\n]*\n)?data: (.+)\n/g)].map((m) => JSON.parse(m[1]) as { version: string; drifted: string[] });
    const detectedBefore = detections().length;
    const t2 = Math.floor(Date.now() / 1000) * 1000;
    const windowsBefore = (await rpc.call(AnalysisSubjects.listResults, { source, limit: 1000 })).results.length;
    const linesBefore = (await rpc.call(AnalysisSubjects.listResults, { source, limit: 1000 })).results.reduce((n, r) => n + r.recordCount, 0);
    const moved = appLog(300, START + 1200 * MINUTE, 99, { extraLogins: 2 * sigma });
    await publish(moved);
    const { reply } = await settled(linesBefore + moved.length, t2, windowsBefore);
    const report = reply.report!;
    const column = report.features.find((f) => f.feature === logins)!;
    // the live mean moved by about 2 σ (300 windows: the standard error of the mean is σ/√300 ≈ 0.06 σ)
    expect((column.current.mean! - mean) / sigma).toBeGreaterThan(1.7);
    expect((column.current.mean! - mean) / sigma).toBeLessThan(2.3);
    expect(column).toMatchObject({ statistic: 'ks', drifted: true });
    const driftedFeatures = report.features.filter((f) => f.drifted).map((f) => f.feature);
    expect(driftedFeatures).not.toContain(columnOf('slow query'));
    expect(driftedFeatures).not.toContain(columnOf('evicted'));
    expect(report.templates!.drifted).toBe(true); // more logins is another mix
    expect(report.unseenTemplates!.drifted).toBe(false);

    const detected = await waitFor('a new drift.detected on SSE', () => {
      const all = detections();
      return all.length > detectedBefore ? all[all.length - 1] : undefined;
    }, { timeoutMs: 60_000, intervalMs: 300 });
    expect(detected.version).toBe(ref);
    expect(detected.drifted).toContain(logins);
    const gauge = new RegExp(`loglens_feature_drift\\{model="${modelName}",version="${ref}",feature="${logins}",statistic="ks"\\} (\\S+)`);
    const value = await waitFor('the login column drifted in the gauges', async () => {
      const m = gauge.exec(await (await fetch(`${base}/metrics`)).text());
      return m && Number(m[1]) < 0.05 ? Number(m[1]) : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(value).toBeLessThan(0.05);
  });
});
