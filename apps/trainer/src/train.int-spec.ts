import { headers, type NatsConnection } from 'nats';
import {
  agentDurable,
  AnalysisSubjects,
  JetStreamNames,
  LOG_BATCH_HEADER,
  LogSubjects,
  RegistrySubjects,
  TrainerStreams,
  type HistoryReply,
  type JobDto,
  type SourceBindingDto,
  type WindowResultDto,
} from '@loglens/contracts';
import { freePort } from '@loglens/dev-infra';
import { RpcClient, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, deployVersion, dropSchema, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService, eventsUrl } from '@loglens/testing';

const OPERATOR = 'operator-key-train-spec';
const VIEWER = 'viewer-key-train-spec';
const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const HOUR = 3600_000;
const GENERIC = ['unseen_templates', 'error_events', 'warning_events', 'events', 'events_per_minute'];

/** An application's normal traffic: a handful of line types, one line every ~7 s, as `{message, timestamp}` envelopes. */
function appLog(from: number, hours: number, seed = 1): string[] {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines: string[] = [];
  for (let t = from; t < from + hours * HOUR; t += 4000 + Math.floor(rnd() * 6000)) {
    const r = rnd();
    const message =
      r < 0.45
        ? `GET /api/items/${Math.floor(rnd() * 5000)} 200 in ${Math.floor(rnd() * 90)} ms`
        : r < 0.7
          ? `user u${Math.floor(rnd() * 300)} logged in from 10.0.${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 250)}`
          : r < 0.9
            ? `cache refresh finished: ${Math.floor(rnd() * 900)} keys in ${Math.floor(rnd() * 40)} ms`
            : r < 0.98
              ? `POST /api/orders 201 in ${Math.floor(rnd() * 200)} ms`
              : `WARN slow query on orders took ${1000 + Math.floor(rnd() * 900)} ms`;
    lines.push(JSON.stringify({ message, timestamp: new Date(t).toISOString() }));
  }
  return lines;
}

/** A WiFi site's hostapd events as `{message, timestamp}` envelopes, one every ~8 s. */
function wifiLog(from: number, hours: number): string[] {
  const lines: string[] = [];
  let n = 0;
  for (let t = from; t < from + hours * HOUR; t += 8000, n++) {
    const sta = `02:00:00:00:0a:${(n % 60).toString(16).padStart(2, '0')}`;
    const iface = n % 3 === 0 ? 'wlan1' : 'wlan0';
    const kinds = [`STA ${sta} IEEE 802.11: authenticated`, `STA ${sta} IEEE 802.11: associated (aid ${1 + (n % 20)})`, `AP-STA-CONNECTED ${sta}`, `STA ${sta} WPA: pairwise key handshake completed (RSN)`, `AP-STA-DISCONNECTED ${sta}`];
    lines.push(JSON.stringify({ message: `${iface}: ${kinds[n % kinds.length]}`, timestamp: new Date(t).toISOString() }));
  }
  return lines;
}

/** The base agent's default model for the spec: a logistic model on the generic columns (errors make it fire). */
function defaultModel(): Uint8Array {
  return writeLogisticRegressionModel({ featureNames: GENERIC, mean: GENERIC.map(() => 0), scale: GENERIC.map(() => 1), weights: [0, 1, 0, 0, 0], bias: -3 });
}

describe('per-source models end to end: LOGS → train job → validated, deployed, bound version → the source scored by it', () => {
  const run = Date.now().toString(36);
  const schema = uniqueSchema('train');
  const source = `app${run}`;
  const other = `other${run}`;
  const modelName = `app-model-${run}`;
  const defaultName = `default-${run}`;
  let nc: NatsConnection;
  let rpc: RpcClient;
  let base = '';
  const services: RunningService[] = [];
  const sse: string[] = [];
  const sseAbort = new AbortController();

  async function http<T>(method: string, route: string, body?: unknown, key = OPERATOR): Promise<{ status: number; body: T }> {
    const init: RequestInit = { method, headers: { 'x-api-key': key } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    const res = await fetch(`${base}${route}`, init);
    return { status: res.status, body: (await res.json()) as T };
  }

  /** generic logs as record batches of 100 (as the bulk and OTLP inputs store them), WiFi logs one line per message */
  async function publish(subjectSource: string, lines: string[], prefix: string = LogSubjects.generic): Promise<void> {
    const js = nc.jetstream();
    if (prefix === LogSubjects.generic) {
      for (let i = 0; i < lines.length; i += 100) {
        const h = headers();
        h.set(LOG_BATCH_HEADER, String(lines.slice(i, i + 100).length));
        await js.publish(`${prefix}.${subjectSource}`, new TextEncoder().encode(lines.slice(i, i + 100).join('\n')), { headers: h });
      }
      return;
    }
    for (let i = 0; i < lines.length; i += 500) {
      await Promise.all(lines.slice(i, i + 500).map((l) => js.publish(`${prefix}.${subjectSource}`, new TextEncoder().encode(l))));
    }
  }

  async function results(of: string): Promise<WindowResultDto[]> {
    return (await rpc.call(AnalysisSubjects.listResults, { source: of, limit: 1000 })).results;
  }

  /** Training and scoring under load: the spec's generous wait. */
  const waitLong = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => waitFor(what, probe, { timeoutMs: 120_000, intervalMs: 300 });

  async function finished(id: string): Promise<JobDto> {
    return waitFor(`job ${id} to finish`, async () => {
      const job = (await http<JobDto>('GET', `/model-management/jobs/${id}`, undefined, VIEWER)).body;
      return job.state === 'succeeded' || job.state === 'failed' ? job : undefined;
    }, { timeoutMs: 120_000, intervalMs: 300 });
  }

  beforeAll(async () => {
    nc = await connectTestNats('train-int-spec');
    rpc = new RpcClient(nc, 20_000);
    await ensureAnalysisInfrastructure(nc);
    // this run's agent, results store and trainer start clean on a shared NATS
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.delete(JetStreamNames.logs, agentDurable('base')).catch(() => undefined);
    await jsm.consumers.delete(JetStreamNames.analysis, 'registry-results').catch(() => undefined);
    await jsm.streams.purge(TrainerStreams.jobs).catch(() => undefined);
    const nats = { NATS_URL: testNatsUrl() };
    services.push(await spawnService('registry', nc, { ...nats, DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema }));
    services.push(await spawnService('inference-worker', nc, nats));
    const defaultRef = await registerVersion(rpc, { model: defaultName, onnx: defaultModel(), featureNames: GENERIC, schemaVersion: 'generic.v1', threshold: 0.5, createdBy: 'spec' });
    await deployVersion(rpc, defaultRef, { actor: 'spec' });
    services.push(await spawnService('agent-base', nc, { ...nats, AGENT_MODEL: defaultName, AGENT_IDLE_FLUSH_MS: '1500', AGENT_ACK_WAIT_MS: '5000' }));
    await jsm.consumers.delete(JetStreamNames.logs, agentDurable('wifi')).catch(() => undefined);
    services.push(await spawnService('agent-wifi', nc, { ...nats, AGENT_MODEL: `wifi-default-${run}`, AGENT_IDLE_FLUSH_MS: '1500', AGENT_ACK_WAIT_MS: '5000' }));
    services.push(await spawnService('trainer', nc, nats));
    const port = await freePort();
    services.push(await spawnService('gateway', nc, { ...nats, GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1', API_KEYS: `operator:${OPERATOR},viewer:${VIEWER}` }));
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
  }, 120_000);

  afterAll(async () => {
    sseAbort.abort();
    for (const s of services.reverse()) await s.stop();
    await nc?.close();
    await dropSchema(schema);
  });

  it('answers bad input with JSON errors: unknown model or source 404, a bad body 400 naming the field, an unknown job 404', async () => {
    await publish(source, appLog(T0, 6));
    await publish(other, appLog(T0, 1, 7));
    const unknownModel = await http<{ code: string; message: string }>('PUT', `/model-management/sources/${source}`, { model: 'no-such-model' });
    expect(unknownModel.status).toBe(404);
    expect(unknownModel.body).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no-such-model/) });
    const unknownSource = await http<{ code: string; message: string }>('POST', `/model-management/models/${modelName}/train`, { sources: ['never-seen-source'] });
    expect(unknownSource.status).toBe(404);
    expect(unknownSource.body.message).toMatch(/never-seen-source/);
    const badBody = await http<{ code: string; message: string }>('POST', `/model-management/models/${modelName}/train`, { sources: source, windowMs: 5 });
    expect(badBody.status).toBe(400);
    expect(badBody.body.message).toMatch(/sources/);
    expect(badBody.body.message).toMatch(/windowMs/);
    const unknownJob = await http<{ code: string }>('GET', '/model-management/jobs/00000000-0000-4000-8000-000000000000', undefined, VIEWER);
    expect(unknownJob).toEqual({ status: 404, body: expect.objectContaining({ code: 'NOT_FOUND' }) });
    const viewer = await http<{ code: string }>('POST', `/model-management/models/${modelName}/train`, { sources: [source] }, VIEWER);
    expect(viewer.status).toBe(403);
    const openapi = (await (await fetch(`${base}/docs/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/model-management/models/{name}/train', '/model-management/jobs', '/model-management/jobs/{id}', '/model-management/sources', '/model-management/sources/{source}']),
    );
  });

  it('ends a job on an empty time range as failed, saying which source and range had no lines', async () => {
    const { status, body } = await http<JobDto>('POST', `/model-management/models/${modelName}/train`, { sources: [source], from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' });
    expect(status).toBe(202);
    const job = await finished(body.id);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(new RegExp(`no log lines for source ${source} between 2020-01-01T00:00:00Z and 2020-01-02T00:00:00Z`));
  });

  it('trains on the source from LOGS, registers a validated version, deploys and binds it, and the source is then scored by it', async () => {
    const posted = await http<JobDto>('POST', `/model-management/models/${modelName}/train`, { sources: [source], deploy: true, bind: true });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ kind: 'train', model: modelName, state: 'queued', params: { sources: [source], deploy: true, bind: true } });
    const job = await finished(posted.body.id);
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ version: `${modelName}@1`, deployed: true, bound: [source], summary: { sources: [source], algorithm: 'iforest' } });
    expect(job.result?.summary['lines']).toBe(appLog(T0, 6).length);
    expect(['pass', 'warn']).toContain(job.result?.validation);

    const version = await rpc.call(RegistrySubjects.getVersion, { ref: `${modelName}@1` });
    expect(version.status).toBe('serving');
    expect(version.validation).not.toBe('fail');
    expect(version.metadata['agent']).toBe('base');
    expect(version.metadata['trainingJob']).toMatchObject({ id: job.id, sources: [source], input: 'stream' });
    // the drift reference travels with the version: one histogram per column of the training windows
    const profile = version.metadata['referenceProfile'] as { format: string; origin: string; windows: number; features: Record<string, unknown> };
    expect(profile).toMatchObject({ format: 'drift-profile.v1', origin: 'training', windows: job.result?.summary['windows'] });
    // (jsonb keeps keys in its own order: compare the names as sets)
    expect(Object.keys(profile.features).sort()).toEqual(version.featureSchema?.features.map((f) => f.name).sort());
    const bindings = (await http<SourceBindingDto[]>('GET', '/model-management/sources', undefined, VIEWER)).body;
    expect(bindings).toEqual([expect.objectContaining({ source, model: modelName, agent: 'base' })]);
    const history = (await http<HistoryReply>('GET', `/model-management/history?model=${modelName}`, undefined, VIEWER)).body.entries;
    expect(history.map((e) => e.action)).toEqual(['bind', 'deploy']);
    expect(history[0]).toMatchObject({ kind: 'binding', source, reason: `train job ${job.id}` });
    await waitFor('jobs.succeeded on SSE', async () => (sse.join('').includes('event: jobs.succeeded') ? true : undefined), { timeoutMs: 10_000 });
    expect(sse.join('')).toMatch(/event: jobs\.running/);
    expect(sse.join('')).toMatch(/event: jobs\.progress/);
    expect(sse.join('')).toMatch(/event: registry\.events\.source-bound\.v1/);

    // more of the source, after the training stretch: scored by the new version; another source still by the default
    const T1 = T0 + 8 * HOUR;
    const more = appLog(T1, 1, 3);
    await publish(source, more);
    await publish(other, appLog(T1, 1, 9));
    const fresh = await waitLong('the new lines scored', async () => {
      const r = (await results(source)).filter((w) => Date.parse(w.start) >= T1);
      return r.reduce((n, w) => n + w.recordCount, 0) >= more.length ? r : undefined;
    });
    if (fresh.some((w) => w.modelVersion !== `${modelName}@1`)) {
      const agent = services.find((x) => x.name === 'agent-base');
      const registry = services.find((x) => x.name === 'registry');
      const trainer = services.find((x) => x.name === 'trainer');
      const tail = (x?: RunningService) => x?.output().split('\n').slice(-25).join('\n');
      throw new Error(`windows after the binding scored by ${[...new Set(fresh.map((w) => w.modelVersion))].join(', ')}; agent said:\n${tail(agent)}\nregistry:\n${tail(registry)}\ntrainer:\n${tail(trainer)}`);
    }
    expect(fresh.filter((w) => w.isAnomaly).length / fresh.length).toBeLessThanOrEqual(0.1);
    const others = await waitLong('the other source scored', async () => {
      const r = (await results(other)).filter((w) => Date.parse(w.start) >= T1);
      return r.length > 0 ? r : undefined;
    });
    expect(new Set(others.map((w) => w.modelVersion))).toEqual(new Set([`${defaultName}@1`]));
  });

  it('binds a WiFi site the same way: trained from logs.wifi.<site>, the WiFi agent scores the site with it', async () => {
    const site = `site${run}`;
    await publish(site, wifiLog(T0, 6), LogSubjects.wifi);
    const posted = await http<JobDto>('POST', `/model-management/models/${site}-wifi/train`, { sources: [site], deploy: true, bind: true });
    expect(posted.status).toBe(202);
    const job = await finished(posted.body.id);
    expect(job.error).toBeUndefined();
    expect(job.result).toMatchObject({ version: `${site}-wifi@1`, deployed: true, bound: [site] });
    const bindings = (await http<SourceBindingDto[]>('GET', '/model-management/sources', undefined, VIEWER)).body;
    expect(bindings).toContainEqual(expect.objectContaining({ source: site, model: `${site}-wifi`, agent: 'wifi' }));
    const T1 = T0 + 8 * HOUR;
    const more = wifiLog(T1, 1);
    await publish(site, more, LogSubjects.wifi);
    const fresh = await waitLong('the site scored by its model', async () => {
      const r = (await results(site)).filter((w) => Date.parse(w.start) >= T1);
      return r.reduce((n, w) => n + w.recordCount, 0) >= more.length ? r : undefined;
    });
    expect(new Set(fresh.map((w) => w.modelVersion))).toEqual(new Set([`${site}-wifi@1`]));
    expect(new Set(fresh.map((w) => w.source))).toEqual(new Set([site]));
  });

  it('trains from an uploaded file (multipart) without touching the bindings', async () => {
    const form = new FormData();
    form.append('logs', new Blob([appLog(T0, 4, 5).join('\n')], { type: 'application/x-ndjson' }), 'app.ndjson');
    form.append('sources', `file${run}`);
    const posted = await http<JobDto>('POST', `/model-management/models/${modelName}-file/train`, form);
    expect(posted.status).toBe(202);
    expect(posted.body.params).toMatchObject({ sources: [`file${run}`], file: { name: 'app.ndjson', lines: appLog(T0, 4, 5).length } });
    const job = await finished(posted.body.id);
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ version: `${modelName}-file@1` });
    expect(job.result?.deployed).toBeUndefined();
    expect((await http<SourceBindingDto[]>('GET', '/model-management/sources', undefined, VIEWER)).body.map((b) => b.source)).not.toContain(`file${run}`);
  });

  it('keeps a job queued while no trainer runs and runs it once one starts (the work queue loses nothing)', async () => {
    const index = services.findIndex((x) => x.name === 'trainer');
    await services[index].stop();
    const posted = await http<JobDto>('POST', `/model-management/models/${modelName}-later/train`, { sources: [source] });
    expect(posted.status).toBe(202);
    // nobody takes it: the work item waits in JOBS
    const jsm = await nc.jetstreamManager();
    expect((await jsm.streams.info(TrainerStreams.jobs)).state.messages).toBe(1);
    expect((await http<JobDto>('GET', `/model-management/jobs/${posted.body.id}`, undefined, VIEWER)).body.state).toBe('queued');
    services[index] = await spawnService('trainer', nc, { NATS_URL: testNatsUrl() });
    const job = await finished(posted.body.id);
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.result?.version).toBe(`${modelName}-later@1`);
    // everything the stream holds of the source: the training stretch and the hour sent after it
    expect(job.result?.summary['lines']).toBe(appLog(T0, 6).length + appLog(T0 + 8 * HOUR, 1, 3).length);
    expect((await jsm.streams.info(TrainerStreams.jobs)).state.messages).toBe(0);
  });

  it('gives a job whose trainer is killed mid-training to the next trainer, which finishes it', async () => {
    const big = `big${run}`;
    await publish(big, appLog(T0, 60, 11));
    const index = services.findIndex((x) => x.name === 'trainer');
    await services[index].stop();
    // a short ack wait, so the killed trainer's job comes back quickly
    services[index] = await spawnService('trainer', nc, { NATS_URL: testNatsUrl(), TRAINER_ACK_WAIT_MS: '5000' });
    const posted = await http<JobDto>('POST', `/model-management/models/${big}-model/train`, { sources: [big] });
    await waitLong('the job to run', async () => {
      const job = (await http<JobDto>('GET', `/model-management/jobs/${posted.body.id}`, undefined, VIEWER)).body;
      return job.state === 'running' ? job : undefined;
    });
    services[index].process.kill('SIGKILL');
    await services[index].stop();
    services[index] = await spawnService('trainer', nc, { NATS_URL: testNatsUrl(), TRAINER_ACK_WAIT_MS: '5000' });
    const job = await finished(posted.body.id);
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.result?.version).toBe(`${big}-model@1`);
    expect(job.result?.summary['lines']).toBe(appLog(T0, 60, 11).length);
    // the same work item, delivered again
    expect(services[index].output()).toMatch(new RegExp(`job ${posted.body.id}: taken \\(delivery 2\\)`));
  });
});
