// Agents scale out by partition: LOGS split in 4 partitions by a hash of the source, two agent-base instances each
// consuming their own partitions through their own durables. Every window is stored once, each source's windows come
// from one instance (the one owning its partition), and an instance killed mid-stream and started again takes back
// its partitions where it left them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type JsMsg, type NatsConnection } from 'nats';
import { AnalysisSubjects, HealthSubjects, JetStreamNames, NAMESPACE, agentDurable, logPartition, logSubject, type WindowResultDto } from '@loglens/contracts';
import { startNatsServer, type NatsHandle } from '@loglens/dev-infra';
import { ensureAnalysisInfrastructure, natsConnectOptions, scatterGather } from '@loglens/nest-common';
import { dropSchema, spawnService, testDatabaseUrl, uniqueSchema, waitFor, type RunningService } from '@loglens/testing';

const PARTITIONS = 4;
const INSTANCES = 2;
const T0 = Date.parse('2026-12-05T08:00:00Z');
const STEP_MS = 30_000;
/** 15 minutes of records: three 5-minute windows per host */
const STEPS = 30;
const HOSTS = ['h1', 'h2'];

describe('agents partitioned by source (LOGLENS_LOG_PARTITIONS=4, AGENT_INSTANCES=2)', () => {
  jest.setTimeout(180_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'loglens-partitions-'));
  const run = Date.now().toString(36);
  const sources = Array.from({ length: 16 }, (_, i) => `part-${run}-${i}`);
  /** published on the unpartitioned subject, as a shipper that knows nothing of partitions does */
  const plainSource = `plain-${run}`;
  let nats: NatsHandle;
  let nc: NatsConnection;
  const agents: RunningService[] = [];
  const services: RunningService[] = [];
  const schema = uniqueSchema('partitions');

  const own = (service: string): NodeJS.ProcessEnv => ({ NATS_URL: nats.url, NATS_NKEY_FILE: nats.security?.seedFile(NAMESPACE, service), LOGLENS_LOG_PARTITIONS: String(PARTITIONS) });
  const agentEnv = (index: number): NodeJS.ProcessEnv => ({
    ...own('agent-base'),
    LOGLENS_LOG_PARTITIONS: String(PARTITIONS),
    AGENT_INSTANCES: String(INSTANCES),
    AGENT_INSTANCE_INDEX: String(index),
    AGENT_IDLE_FLUSH_MS: '2000',
    AGENT_ACK_WAIT_MS: '3000',
  });

  const records = (source: string, from: number, to: number): Array<{ subject: string; body: string }> => {
    const out: Array<{ subject: string; body: string }> = [];
    for (let s = from; s < to; s++) {
      for (const host of HOSTS) {
        const body = JSON.stringify({ message: `job ${s % 3} step done on ${host}`, host, timestamp: new Date(T0 + s * STEP_MS).toISOString() });
        out.push({ subject: source === plainSource ? `${NAMESPACE}.logs.generic.${source}` : logSubject('base', source, PARTITIONS), body });
      }
    }
    return out;
  };

  async function publish(from: number, to: number): Promise<void> {
    const js = nc.jetstream();
    const all = [...sources, plainSource].flatMap((s) => records(s, from, to));
    for (let i = 0; i < all.length; i += 200) {
      await Promise.all(all.slice(i, i + 200).map((r) => js.publish(r.subject, new TextEncoder().encode(r.body))));
    }
  }

  /** Every stored window result, with the instance that published it. */
  async function storedResults(): Promise<Array<{ result: WindowResultDto; instance: string | undefined }>> {
    const consumer = await nc.jetstream().consumers.get(JetStreamNames.analysis, { filterSubjects: `${AnalysisSubjects.results}.>` });
    const out: Array<{ result: WindowResultDto; instance: string | undefined }> = [];
    for (;;) {
      const msgs: JsMsg[] = [];
      for await (const m of await consumer.fetch({ max_messages: 1000, expires: 1000 })) msgs.push(m);
      for (const m of msgs) out.push({ result: m.json<WindowResultDto>(), instance: m.headers?.get('LogLens-Agent-Instance') });
      if (msgs.length === 0 || msgs[msgs.length - 1].info.pending === 0) break;
    }
    await consumer.delete().catch(() => undefined);
    return out;
  }

  beforeAll(async () => {
    // a server of its own: its permission table is written for 4 partitions (one durable per partition)
    nats = await startNatsServer({ dataDir: dir, secure: { namespaces: [NAMESPACE], logPartitions: PARTITIONS } });
    const seed = { NATS_NKEY_FILE: nats.security?.seedFile(NAMESPACE, 'ops') };
    nc = await connect({ ...natsConnectOptions('ops', seed), servers: nats.url, name: 'partitions-int-spec' });
    await ensureAnalysisInfrastructure(nc);
    // no model deployed: the worker answers that none serves and the agents publish their windows unscored
    services.push(await spawnService('registry', nc, { ...own('registry'), DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema }));
    services.push(await spawnService('inference-worker', nc, own('inference-worker')));
    for (let i = 0; i < INSTANCES; i++) agents.push(await spawnService('agent-base', nc, agentEnv(i)));
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await Promise.all(services.map((s) => s.stop()));
    await dropSchema(schema);
    await nc?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every window once, each source windowed by the instance owning its partition, across a kill and restart', async () => {
    // the sources cover every partition, so each instance has work
    expect(new Set(sources.map((s) => logPartition(s, PARTITIONS))).size).toBe(PARTITIONS);
    await publish(0, STEPS / 2);
    const jsm = await nc.jetstreamManager();
    // instance 1 has taken records of its partitions (and holds some un-acked in open windows): kill it there
    await waitFor('instance 1 to take records of its partitions', async () => {
      const infos = await Promise.all([1, 3].map((k) => jsm.consumers.info(JetStreamNames.logs, agentDurable('base', k))));
      return infos.every((i) => i.delivered.consumer_seq > 0) ? infos : undefined;
    });
    agents[1].process.kill('SIGKILL');
    await publish(STEPS / 2, STEPS);
    agents[1] = await spawnService('agent-base', nc, agentEnv(1));
    // each process reports the lines it windowed per second (health details): instance 0 is taking the second half now
    type StreamStats = { instance: { index: number; count: number }; records: number; linesPerSecond: { last10s: number; last60s: number } };
    const streamOf = async (index: number): Promise<StreamStats | undefined> => {
      const replies = await scatterGather(nc, HealthSubjects.ping, 500);
      const streams = replies.filter((r) => r.service === 'agent-base').map((r) => r.details?.['stream'] as StreamStats | undefined);
      return streams.find((st) => st?.instance.index === index && st.instance.count === INSTANCES);
    };
    const busy = await waitFor('instance 0 to report its lines per second', async () => {
      const stats = await streamOf(0);
      return stats && stats.linesPerSecond.last10s > 0 ? stats : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    expect(busy.linesPerSecond.last60s).toBeGreaterThan(0);
    // a rate over whole seconds of records counted: never more lines per second than lines
    expect(busy.linesPerSecond.last10s).toBeLessThanOrEqual(busy.records);

    const total = (sources.length + 1) * STEPS * HOSTS.length;
    let counted = 0;
    const stored = await waitFor(
      'every record in a stored window',
      async () => {
        const all = await storedResults();
        counted = all.reduce((n, r) => n + r.result.recordCount, 0);
        return counted >= total ? all : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${counted} of ${total} records\n${agents.map((a) => a.output().slice(-3000)).join('\n---\n')}`);
    });
    // once: one result per id, one window per (source, key, start), every record counted once
    expect(new Set(stored.map((r) => r.result.id)).size).toBe(stored.length);
    expect(new Set(stored.map((r) => `${r.result.source}|${r.result.key}|${r.result.start}`)).size).toBe(stored.length);
    const perSource = new Map<string, number>();
    for (const { result } of stored) perSource.set(result.source, (perSource.get(result.source) ?? 0) + result.recordCount);
    const wrong = [...perSource].filter(([, n]) => n !== STEPS * HOSTS.length).map(([source]) => source);
    expect(stored.filter((r) => wrong.includes(r.result.source)).map((r) => [r.result.source, r.result.key, r.result.start, r.result.recordCount, r.instance, r.result.id, r.result.recordIds.join(',')])).toEqual([]);
    expect(stored.reduce((n, r) => n + r.result.recordCount, 0)).toBe(total);
    expect(stored.length).toBe((sources.length + 1) * HOSTS.length * 3);
    // each source from exactly the instance owning its partition; the unpartitioned subjects go to instance 0
    for (const source of sources) {
      const by = new Set(stored.filter((r) => r.result.source === source).map((r) => r.instance));
      expect([source, [...by]]).toEqual([source, [String(logPartition(source, PARTITIONS) % INSTANCES)]]);
    }
    expect(new Set(stored.filter((r) => r.result.source === plainSource).map((r) => r.instance))).toEqual(new Set(['0']));
    // instance 0 windowed every record of its partitions and of the unpartitioned subject (redeliveries count again)
    const ownedByFirst = [...sources.filter((src) => logPartition(src, PARTITIONS) % INSTANCES === 0), plainSource].length * STEPS * HOSTS.length;
    expect((await streamOf(0))?.records).toBeGreaterThanOrEqual(ownedByFirst);
    // the restarted instance left nothing behind in its partitions
    for (const k of [1, 3]) {
      const info = await jsm.consumers.info(JetStreamNames.logs, agentDurable('base', k));
      expect([k, info.num_pending, info.num_ack_pending]).toEqual([k, 0, 0]);
    }
  });
});
