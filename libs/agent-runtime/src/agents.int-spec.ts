import { headers, type NatsConnection } from 'nats';
import {
  agentDurable,
  AgentSubjects,
  AnalysisSubjects,
  DEAD_LETTER_HEADERS,
  DeadLetterSubjects,
  JetStreamNames,
  LOG_BATCH_HEADER,
  LogSubjects,
  REGISTRY_RESULTS_DURABLE,
  type AnalyzeReply,
  type LargeReply,
  type LogRecordInput,
  type WindowResultDto,
} from '@loglens/contracts';
import { WIFI_FEATURE_SCHEMA } from '@loglens/features';
import { RpcClient, ensureAnalysisInfrastructure } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { connectTestNats, deployVersion, dropSchema, registerVersion, spawnService, testDatabaseUrl, testNatsUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

const T0 = Date.UTC(2026, 10, 26, 8, 0, 0) / 1000;
const MINUTE = 60;

/**
 * hostapd -t lines: normal connect cycles on two APs (wlan0, wlan1) for `minutes`, and a deauth flood on wlan1 in its
 * 3rd window (8 lines a minute: 6,250 minutes make 50,000 lines).
 */
function wifiLog(minutes = 30): string[] {
  const lines: string[] = [];
  const at = (s: number, iface: string, text: string) => `${(T0 + s).toFixed(6)}: ${iface}: ${text}`;
  for (let m = 0; m < minutes; m++) {
    for (const iface of ['wlan0', 'wlan1']) {
      const sta = `02:00:00:00:${iface === 'wlan0' ? '0a' : '0b'}:${(m % 50).toString(16).padStart(2, '0')}`;
      lines.push(at(m * MINUTE + 1, iface, `STA ${sta} IEEE 802.11: authenticated`));
      lines.push(at(m * MINUTE + 2, iface, `STA ${sta} IEEE 802.11: associated (aid 1)`));
      lines.push(at(m * MINUTE + 3, iface, `AP-STA-CONNECTED ${sta}`));
      lines.push(at(m * MINUTE + 4, iface, `STA ${sta} WPA: pairwise key handshake completed (RSN)`));
    }
  }
  for (let i = 0; i < 60; i++) {
    const sta = `02:00:00:00:ff:${i.toString(16).padStart(2, '0')}`;
    lines.push(at(11 * MINUTE + i, 'wlan1', `STA ${sta} IEEE 802.11: deauthenticated due to local deauth request`));
  }
  // stream order is time order
  return lines.sort((a, b) => Number(a.split(':')[0]) - Number(b.split(':')[0]));
}

/** Scores windows by their deauth/disassoc counts: anomalous above ~5 in a window. */
function deauthModel(): Uint8Array {
  const names = WIFI_FEATURE_SCHEMA.features.map((f) => f.name);
  return writeLogisticRegressionModel({
    featureNames: names,
    mean: names.map(() => 0),
    scale: names.map(() => 1),
    weights: names.map((n) => (n.startsWith('deauth_') || n.startsWith('disassoc_') ? 1 : 0)),
    bias: -5,
  });
}

describe('WiFi agent over JetStream: results, anomalies, restart without loss or doubles, analyze parity', () => {
  const schema = uniqueSchema('agents');
  const site = `site${Date.now().toString(36)}`;
  const subject = `${LogSubjects.wifi}.${site}`;
  let nc: NatsConnection;
  let rpc: RpcClient;
  const services: RunningService[] = [];
  let agent: RunningService;
  const anomalies: WindowResultDto[] = [];

  async function results(): Promise<WindowResultDto[]> {
    return (await rpc.call(AnalysisSubjects.listResults, { source: site, limit: 1000 })).results;
  }

  /** The stored results of `source`, once their windows hold `count` records between them. */
  function resultsHolding(source: string, count: number, what: string): Promise<WindowResultDto[]> {
    return waitFor(
      what,
      async () => {
        const now = (await rpc.call(AnalysisSubjects.listResults, { source, limit: 1000 })).results;
        return now.reduce((n, r) => n + r.recordCount, 0) >= count ? now : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }

  /** Publishes the lines as record batches of `size` (LOG_BATCH_HEADER), as LogLens' inputs write them. */
  async function publishBatches(lines: string[], to: string, size: number): Promise<void> {
    const js = nc.jetstream();
    for (let i = 0; i < lines.length; i += size) {
      const batch = lines.slice(i, i + size);
      const h = headers();
      h.set(LOG_BATCH_HEADER, String(batch.length));
      await js.publish(to, new TextEncoder().encode(batch.join('\n')), { headers: h });
    }
  }

  async function publish(lines: string[], to = subject): Promise<void> {
    const js = nc.jetstream();
    for (let i = 0; i < lines.length; i += 1000) {
      await Promise.all(lines.slice(i, i + 1000).map((l) => js.publish(to, new TextEncoder().encode(l))));
    }
  }

  beforeAll(async () => {
    nc = await connectTestNats('agents-int-spec');
    rpc = new RpcClient(nc, 20_000);
    await ensureAnalysisInfrastructure(nc);
    // consumers from earlier runs on a shared NATS would replay old sites: this run's agent starts clean
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.delete(JetStreamNames.logs, agentDurable('wifi')).catch(() => undefined);
    await jsm.consumers.delete(JetStreamNames.analysis, REGISTRY_RESULTS_DURABLE).catch(() => undefined);
    services.push(await spawnService('registry', nc, { NATS_URL: testNatsUrl(), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema }));
    services.push(await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() }));
    const ref = await registerVersion(rpc, {
      model: 'wifi-anomaly',
      onnx: deauthModel(),
      featureNames: WIFI_FEATURE_SCHEMA.features.map((f) => f.name),
      schemaVersion: WIFI_FEATURE_SCHEMA.version,
      threshold: 0.5,
      createdBy: 'spec',
    });
    await deployVersion(rpc, ref, { actor: 'spec' });
    nc.subscribe(`${AnalysisSubjects.anomalies}.${site}`, {
      callback: (_e, m) => anomalies.push(JSON.parse(new TextDecoder().decode(m.data)) as WindowResultDto),
    });
    agent = await spawnService('agent-wifi', nc, { NATS_URL: testNatsUrl(), AGENT_IDLE_FLUSH_MS: '4000', AGENT_ACK_WAIT_MS: '3000' });
  });

  afterAll(async () => {
    await agent?.stop();
    await Promise.all(services.map((s) => s.stop()));
    await nc?.close();
    await dropSchema(schema);
  });

  it('analyzes a replay with an injected deauth flood, killed and restarted halfway: one result per window, flood flagged', async () => {
    const lines = wifiLog();
    const half = Math.floor(lines.length / 2);
    await publish(lines.slice(0, half));
    // kill it once it has stored windows of the first half (mid-work), not after a fixed time
    await waitFor('first windows of the first half stored', async () => ((await results()).length > 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 200 });
    agent.process.kill('SIGKILL');
    await publish(lines.slice(half));
    agent = await spawnService('agent-wifi', nc, { NATS_URL: testNatsUrl(), AGENT_IDLE_FLUSH_MS: '4000', AGENT_ACK_WAIT_MS: '3000' });

    // 30 minutes of two APs in 5-minute windows: 12 windows, every record in exactly one of them
    const stored = await waitFor(
      'every record of the replay in a stored window',
      async () => {
        const now = await results();
        return now.reduce((n, r) => n + r.recordCount, 0) >= lines.length ? now : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(new Set(stored.map((r) => r.id)).size).toBe(stored.length);
    expect(stored.length).toBe(12);
    expect(stored.reduce((n, r) => n + r.recordCount, 0)).toBe(lines.length);

    const flagged = stored.filter((r) => r.isAnomaly);
    expect(flagged.map((r) => [r.key, r.start])).toEqual([['wlan1', new Date((T0 + 10 * MINUTE) * 1000).toISOString()]]);
    expect(flagged[0].topFeatures.map((f) => f.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^deauth_/)]));
    // topFeatures are the score's attributions (a logistic model: logit space), and they decompose it exactly
    const e = flagged[0].explanation!;
    expect(e).toMatchObject({ method: 'linear', approximate: false, outputSpace: 'logit' });
    const listed = flagged[0].topFeatures.reduce((sum, f) => sum + f.contribution, 0);
    expect(Math.abs(e.baseValue + listed + e.otherContribution - e.outputValue)).toBeLessThan(1e-9);
    expect(1 / (1 + Math.exp(-e.outputValue))).toBeCloseTo(flagged[0].anomalyScore!, 5);
    expect(flagged[0].topFeatures[0].contribution).toBeGreaterThan(0);
    expect(flagged[0].modelVersion).toBe('wifi-anomaly@1');
    expect(anomalies.map((a) => a.id)).toContain(flagged[0].id);
    // AGENT_EXPLAIN=anomalies (the default): the windows not flagged were scored without attributions
    expect(stored.filter((r) => !r.isAnomaly).map((r) => [r.topFeatures.length, r.explanation ?? null])).toEqual(stored.filter((r) => !r.isAnomaly).map(() => [0, null]));
  });

  it('gives the same windows and scores through the analyze API as through the stream', async () => {
    const stored = await results();
    const reply = inline(await rpc.call(AgentSubjects.analyzeWifi, { records: wifiLog(), source: site }, { timeoutMs: 30_000 }));
    expect(reply.records).toHaveLength(wifiLog().length);
    const byRange = new Map(stored.map((r) => [`${r.key}|${r.start}`, r]));
    expect(reply.windows).toHaveLength(stored.length);
    for (const w of reply.windows) {
      const s = byRange.get(`${w.key}|${w.start}`);
      expect(s?.anomalyScore).toBeCloseTo(w.anomalyScore!, 6);
      expect(s?.recordCount).toBe(w.recordIndexes.length);
    }
  });

  it('killed and restarted while 50,000 lines stream through, it ends with exactly one result per window', async () => {
    const big = `${site}big`;
    const lines = wifiLog(6250);
    expect(lines.length).toBe(50_060);
    await publish(lines, `${LogSubjects.wifi}.${big}`);
    const covered = async () => (await rpc.call(AnalysisSubjects.listResults, { source: big, limit: 1000 })).results;
    // kill it mid-stream: once some windows are stored, but far from all
    await waitFor('50 windows stored before the kill', async () => ((await covered()).length >= 50 ? true : undefined), { timeoutMs: 60_000, intervalMs: 200 });
    agent.process.kill('SIGKILL');
    agent = await spawnService('agent-wifi', nc, { NATS_URL: testNatsUrl(), AGENT_IDLE_FLUSH_MS: '4000', AGENT_ACK_WAIT_MS: '3000' });

    const expectedWindows = 2 * Math.ceil((6250 * 60) / 300);
    const all = async (): Promise<WindowResultDto[]> => {
      const out: WindowResultDto[] = [];
      // page by time: the list caps at 1,000 rows
      let to: string | undefined;
      for (;;) {
        const page = (await rpc.call(AnalysisSubjects.listResults, { source: big, limit: 1000, ...(to ? { to } : {}) })).results;
        const fresh = page.filter((r) => !out.some((o) => o.id === r.id));
        out.push(...fresh);
        if (page.length < 1000 || fresh.length === 0) return out;
        to = page[page.length - 1].start;
      }
    };
    const stored = await waitFor(
      'all 50,060 records in stored windows',
      async () => {
        const now = await all();
        return now.reduce((n, r) => n + r.recordCount, 0) >= lines.length ? now : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    const perWindow = new Map<string, number>();
    for (const r of stored) perWindow.set(`${r.key}|${r.start}`, (perWindow.get(`${r.key}|${r.start}`) ?? 0) + 1);
    expect([...perWindow.values()].filter((n) => n !== 1)).toEqual([]);
    expect(perWindow.size).toBe(expectedWindows);
    expect(stored.reduce((n, r) => n + r.recordCount, 0)).toBe(lines.length);
  }, 300_000);

  it('analyzes record batches as it analyzes one record per message: killed and restarted halfway, the same windows and scores', async () => {
    const batched = `${site}batch`;
    const lines = wifiLog();
    const half = 97 * Math.floor(lines.length / 2 / 97);
    const stored = async () => (await rpc.call(AnalysisSubjects.listResults, { source: batched, limit: 1000 })).results;
    await publishBatches(lines.slice(0, half), `${LogSubjects.wifi}.${batched}`, 97);
    await waitFor('first windows of the batched replay stored', async () => ((await stored()).length > 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 200 });
    agent.process.kill('SIGKILL');
    await publishBatches(lines.slice(half), `${LogSubjects.wifi}.${batched}`, 97);
    agent = await spawnService('agent-wifi', nc, { NATS_URL: testNatsUrl(), AGENT_IDLE_FLUSH_MS: '4000', AGENT_ACK_WAIT_MS: '3000' });

    const all = await waitFor(
      'every record of the batched replay in a stored window',
      async () => {
        const now = await stored();
        return now.reduce((n, r) => n + r.recordCount, 0) >= lines.length ? now : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(all.reduce((n, r) => n + r.recordCount, 0)).toBe(lines.length);
    // a record of a batch is named by its message's sequence and its place in the batch, each once
    const ids = all.flatMap((r) => r.recordIds);
    expect(ids.every((id) => /^\d+\.\d+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(lines.length);
    const single = new Map((await results()).map((r) => [`${r.key}|${r.start}`, r]));
    expect(all.map((r) => `${r.key}|${r.start}`).sort()).toEqual([...single.keys()].sort());
    for (const r of all) {
      const s = single.get(`${r.key}|${r.start}`);
      expect([r.recordCount, r.isAnomaly]).toEqual([s?.recordCount, s?.isAnomaly]);
      expect(r.anomalyScore).toBeCloseTo(s?.anomalyScore ?? NaN, 6);
    }
  }, 180_000);

  it('sets a malformed record batch aside in the dead letters with the reason, and analyzes what follows within AGENT_MAX_IN_FLIGHT', async () => {
    const broken = `${site}broken`;
    // at most 150 records held in open windows: fewer than the 300 the replay's 12 windows hold, so it must fetch,
    // hold, publish and acknowledge in turns (two 10-record batches overshoot it at most)
    await agent.stop();
    agent = await spawnService('agent-wifi', nc, { NATS_URL: testNatsUrl(), AGENT_IDLE_FLUSH_MS: '4000', AGENT_ACK_WAIT_MS: '3000', AGENT_MAX_IN_FLIGHT: '150' });
    const letters: { reason: string; batch: string }[] = [];
    const sub = nc.subscribe(DeadLetterSubjects.logs, {
      callback: (_e, m) => {
        if (m.headers?.get(DEAD_LETTER_HEADERS.subject).endsWith(`.${broken}`)) letters.push({ reason: m.headers.get(DEAD_LETTER_HEADERS.reason), batch: m.headers.get(LOG_BATCH_HEADER) });
      },
    });
    try {
      const h = headers();
      h.set(LOG_BATCH_HEADER, '5');
      const lines = wifiLog(30);
      await nc.jetstream().publish(`${LogSubjects.wifi}.${broken}`, new TextEncoder().encode(lines.slice(0, 3).join('\n')), { headers: h });
      await publishBatches(lines, `${LogSubjects.wifi}.${broken}`, 10);
      await waitFor('the malformed batch dead-lettered', () => (letters.length > 0 ? true : undefined), { timeoutMs: 30_000 });
      expect(letters).toEqual([{ reason: `${LOG_BATCH_HEADER} declares 5 records, the body holds 3`, batch: '5' }]);
      const stored = await resultsHolding(broken, lines.length, 'the good batches analyzed');
      expect(stored.reduce((n, r) => n + r.recordCount, 0)).toBe(lines.length);
      expect(new Set(stored.map((r) => `${r.key}|${r.start}`)).size).toBe(stored.length);
    } finally {
      sub.unsubscribe();
      await agent.stop();
      agent = await spawnService('agent-wifi', nc, { NATS_URL: testNatsUrl(), AGENT_IDLE_FLUSH_MS: '4000', AGENT_ACK_WAIT_MS: '3000' });
    }
  }, 120_000);

  it('at AGENT_MAX_IN_FLIGHT closes its open windows at once, not after standing still for AGENT_IDLE_FLUSH_MS', async () => {
    const full = `${site}full`;
    // 300 records in one 5-minute window of each of two APs: no window closes by time. With 150 records at most in
    // open windows and an idle flush far beyond the wait below, only the windows closing at the limit store them
    const lines = Array.from({ length: 300 }, (_, i) => `${(T0 + i * 0.9).toFixed(6)}: wlan${i % 2}: AP-STA-CONNECTED 02:00:00:00:0c:${(i % 50).toString(16).padStart(2, '0')}`);
    await agent.stop();
    agent = await spawnService('agent-wifi', nc, { NATS_URL: testNatsUrl(), AGENT_IDLE_FLUSH_MS: '600000', AGENT_ACK_WAIT_MS: '3000', AGENT_MAX_IN_FLIGHT: '150' });
    try {
      await publishBatches(lines, `${LogSubjects.wifi}.${full}`, 10);
      const stored = await resultsHolding(full, lines.length, 'every record in a window closed at the limit');
      expect(stored.reduce((n, r) => n + r.recordCount, 0)).toBe(lines.length);
      expect(new Set(stored.map((r) => r.id)).size).toBe(stored.length);
      expect(new Set(stored.map((r) => r.key)).size).toBe(2);
    } finally {
      await agent.stop();
      agent = await spawnService('agent-wifi', nc, { NATS_URL: testNatsUrl(), AGENT_IDLE_FLUSH_MS: '4000', AGENT_ACK_WAIT_MS: '3000' });
    }
  }, 120_000);

  it('answers bad records with per-record errors and still analyzes the rest', async () => {
    // { message: 42 } is deliberately not a LogRecordInput: the agent must answer it with a per-record error
    const records = ['1764144000.000000: ap-z: AP-ENABLED', { message: 42 } as unknown as LogRecordInput, { message: 'x', timestamp: 'nope' }, 'plain line without time'];
    const reply = inline(await rpc.call(AgentSubjects.analyzeWifi, { records }));
    expect(reply.records.map((r) => Boolean(r.error))).toEqual([false, true, true, false]);
    expect(reply.records[1].error).toMatch(/no "message"/);
    expect(reply.windows.length).toBeGreaterThan(0);
  });
  it('keeps the windows it could not score while no worker answered, and stores each once when a worker is back', async () => {
    const outage = `${site}outage`;
    const stored = async (): Promise<WindowResultDto[]> => (await rpc.call(AnalysisSubjects.listResults, { source: outage, limit: 1000 })).results;
    const failures = (): number => agent.output().split('analysis cycle failed').length - 1;
    await services[1].stop();
    const before = failures();
    const lines = wifiLog();
    await publish(lines, `${LogSubjects.wifi}.${outage}`);
    // the windows close (idle flush after 4 s) and scoring them fails: no worker answers predict
    await waitFor('two failed analysis cycles', () => (failures() >= before + 2 ? true : undefined), { timeoutMs: 90_000 });
    expect(await stored()).toEqual([]);

    services[1] = await spawnService('inference-worker', nc, { NATS_URL: testNatsUrl() });
    const all = await waitFor(
      'every record in a stored window',
      async () => {
        const r = await stored();
        return r.reduce((n, w) => n + w.recordCount, 0) >= lines.length ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(all.length).toBe(12);
    expect(all.reduce((n, r) => n + r.recordCount, 0)).toBe(lines.length);
    expect(all.every((r) => r.modelVersion === 'wifi-anomaly@1' && r.anomalyScore !== null)).toBe(true);
  }, 240_000);
});

/** These replies are small: the agent answers inline, never through the payloads bucket (nor packed). */
function inline(reply: AnalyzeReply | LargeReply): AnalyzeReply {
  if ('payloadObject' in reply) throw new Error(`expected an inline analyze reply, got payload object ${reply.payloadObject}`);
  if ('packed' in reply) throw new Error('expected an inline analyze reply, got a packed one');
  return reply;
}
