// Log analysis throughput (issue 15 item 4), each row paired with the in-process libraries on the same lines:
//   analyze  — POST /api/v1/models/analyze?agent=base with 10,000 HDFS lines (LogHub HDFS_2k, repeated) through the
//              gateway → agent-base over NATS → workers, against the same BasePipeline (parse → mine → window →
//              features) run in this process with no transport and no scoring; runs interleaved (ABAB…), lines/s
//              from the medians, ratio = analyze / in-process.
//   drain    — one agent-base process draining N lines stored in the LOGS stream first (clock from its first
//              delivery to its last acknowledgement), against the TemplateMiner alone on the same lines (run before and after
//              the drain; their mean). Twice: one raw line per message (a shipper publishing straight to NATS), then
//              record batches of JSON records as the bulk and OTLP inputs store them (LOG_BATCH_HEADER).
// The services are the built dist/apps/*/main.js (build registry, inference-worker, agent-base, gateway first) on a
// nats-server and an embedded Postgres started here.
// Usage: npm run bench:analysis [-- --runs 5 --drain-lines 100000 --profile tmp/profiles]; --profile DIR writes V8 CPU profiles of the worker, the analyze agent and the gateway (DIR/worker, DIR/analyze-agent, DIR/gateway) and of the draining agent (DIR). `runAnalysisBench()` returns the rows for the
// main bench (tools/bench/inference.ts wires them in).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, headers, type NatsConnection } from 'nats';
import { agentDurable, JetStreamNames, LOG_BATCH_HEADER, LOG_BATCH_MAX_RECORDS, LogSubjects, RegistrySubjects, type AnalyzeReply } from '@loglens/contracts';
import { batchBySubject } from '@loglens/log-inputs';
import { freePort, startNatsServer, type NatsHandle } from '@loglens/dev-infra';
import { ensureAnalysisInfrastructure, RpcClient } from '@loglens/nest-common';
import { BasePipeline, toPipelineInput, windowMsOf } from '@loglens/agent-runtime';
import { TemplateMiner } from '@loglens/log-parsing';
import { dropSchema, processCpuUs, spawnEmbeddedPostgres, spawnService, uniqueSchema, waitFor, type PostgresProcess, type RunningService } from '@loglens/testing';
import { buildDefaultModels } from '@loglens/testing/models';
import { seedDefaultModels } from '../stack/seed-default-models';
import { hdfsLines } from './lib/hdfs-sample';
import { loadAverage } from './lib/measure';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) || fallback : fallback;
};
const API_KEY = 'bench-analysis-key-0001';
const log = (m: string) => console.error(`[bench:analysis] ${m}`);

export interface AnalysisBenchRow {
  scenario: string;
  lines: number;
  /** the LogLens path: lines/s (median of the runs for analyze) */
  linesPerSecond: number;
  /** the paired in-process libraries on the same lines */
  baselineLinesPerSecond: number;
  ratio: number;
  /** the issue's goal for the ratio (analyze ≥ 0.5, drain ≥ 0.6) */
  goal: number;
  /** CPU ms per 1,000 lines of the agent (drain) or of gateway + agent (analyze) */
  cpuMsPer1000?: Record<string, number>;
  load: string;
}

/** the draining agent's AGENT_IDLE_FLUSH_MS */
const DRAIN_IDLE_FLUSH_MS = 500;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runAnalysisBench(opts: { runs?: number; analyzeLines?: number; drainLines?: number; profileDir?: string } = {}): Promise<AnalysisBenchRow[]> {
  const runs = opts.runs ?? 5;
  const analyzeLines = opts.analyzeLines ?? 10_000;
  const drainLines = opts.drainLines ?? 100_000;
  let nats: NatsHandle | undefined;
  let pg: PostgresProcess | undefined;
  let nc: NatsConnection | undefined;
  const services: RunningService[] = [];
  const schema = uniqueSchema('benchanalysis');
  const rows: AnalysisBenchRow[] = [];
  try {
    nats = await startNatsServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'loglens-bench-analysis-')) });
    // the embedded Postgres in a process of its own: in this one, PGlite would share the event loop and the heap of
    // the in-process baselines and the HTTP client it measures
    pg = await spawnEmbeddedPostgres();
    process.env['NATS_URL'] = nats.url;
    process.env['DATABASE_URL'] = pg.url;
    nc = await connect({ servers: nats.url, name: 'bench-analysis' });
    const rpc = new RpcClient(nc, 30_000);
    const env = { NATS_URL: nats.url };
    services.push(await spawnService('registry', nc, { ...env, DATABASE_URL: pg.url, DATABASE_SCHEMA: schema }, { readyTimeoutMs: 60_000 }));
    const worker = await spawnService('inference-worker', nc, env, { readyTimeoutMs: 60_000, ...(opts.profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profileDir, 'worker')}`] } : {}) });
    services.push(worker);
    await seedDefaultModels(rpc, log, async () => buildDefaultModels());
    await ensureAnalysisInfrastructure(nc);
    const version = await rpc.call(RegistrySubjects.getVersion, { ref: 'log-anomaly@latest' });
    const pipeline = () => new BasePipeline(version.featureSchema ?? null, undefined, { windowMs: windowMsOf(version) });

    // ---- analyze 10,000 lines: gateway → agent-base, paired with the in-process pipeline
    const profiled = (dir: string) => (opts.profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profileDir, dir)}`] } : {});
    const agent = await spawnService('agent-base', nc, { ...env, AGENT_CONSUME: 'true' }, { readyTimeoutMs: 60_000, ...profiled('analyze-agent') });
    services.push(agent);
    // a port the OS hands out (other stacks run on this machine: a random one collided)
    const port = await freePort();
    const gateway = await spawnService('gateway', nc, { ...env, API_KEYS: `viewer:${API_KEY}`, GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1' }, { readyTimeoutMs: 60_000, ...profiled('gateway') });
    services.push(gateway);
    const lines = hdfsLines(analyzeLines);
    const body = Buffer.from(JSON.stringify(lines));
    // fetch (keep-alive) with a long deadline: measure.ts's httpPost gives up after 10 s, which a loaded machine's
    // first analyze (the worker loading the model) can take
    const analyze = async (): Promise<AnalyzeReply> => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/models/analyze?agent=base&source=benchanalyze`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body,
        signal: AbortSignal.timeout(120_000),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`analyze: HTTP ${res.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as AnalyzeReply;
    };
    const inProcess = () => {
      const p = pipeline();
      for (let i = 0; i < lines.length; i++) {
        const input = toPipelineInput(lines[i], 'benchanalyze');
        if (!('error' in input)) p.add(i, input);
      }
      return p.flushAll().length;
    };
    // warm-up (JIT, the worker's model load), then ABAB
    const first = await analyze();
    if (first.records.length !== lines.length) throw new Error(`analyze answered ${first.records.length} records for ${lines.length}`);
    inProcess();
    const a: number[] = [];
    const b: number[] = [];
    const cpu0 = { gateway: processCpuUs(gateway.process.pid), agent: processCpuUs(agent.process.pid) };
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      await analyze();
      a.push(lines.length / ((performance.now() - t) / 1000));
      t = performance.now();
      inProcess();
      b.push(lines.length / ((performance.now() - t) / 1000));
    }
    const per1000 = (us: number, n: number) => Math.round(us / 1000 / (n / 1000));
    rows.push({
      goal: 0.5,
      scenario: `analyze ${analyzeLines.toLocaleString('en')} HDFS lines via the gateway (agent-base) vs the in-process pipeline`,
      lines: analyzeLines,
      linesPerSecond: median(a),
      baselineLinesPerSecond: median(b),
      ratio: median(a) / median(b),
      cpuMsPer1000: {
        gateway: per1000(processCpuUs(gateway.process.pid) - cpu0.gateway, runs * analyzeLines),
        agent: per1000(processCpuUs(agent.process.pid) - cpu0.agent, runs * analyzeLines),
      },
      load: loadAverage(),
    });
    log(`analyze: ${a.map(Math.round).join(', ')} lines/s; in-process: ${b.map(Math.round).join(', ')} lines/s`);

    // ---- drain: one agent-base process over N stored lines, paired with the in-process miner
    await agent.stop();
    services.splice(services.indexOf(agent), 1);
    const drain = hdfsLines(drainLines);
    const miner = () => {
      const m = new TemplateMiner();
      const t = performance.now();
      for (const l of drain) m.add(l);
      return drain.length / ((performance.now() - t) / 1000);
    };
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    const durable = agentDurable('base');
    const encoder = new TextEncoder();
    // one line per message (what a shipper publishing straight to NATS stores), then record batches (what LogLens'
    // bulk and OTLP inputs store: ≤ 500 JSON records per message, LOG_BATCH_HEADER); one fresh agent process each
    for (const mode of ['lines', 'batches'] as const) {
      const before = miner();
      const subject = `${LogSubjects.generic}.benchdrain${mode}${Date.now().toString(36)}`;
      if (mode === 'lines') {
        for (let i = 0; i < drain.length; i += 2000) await Promise.all(drain.slice(i, i + 2000).map((l) => js.publish(subject, encoder.encode(l))));
      } else {
        const source = subject.slice(LogSubjects.generic.length + 1);
        const messages = batchBySubject(drain.map((message) => ({ record: { message, source, agent: 'base' as const } })), LOG_BATCH_MAX_RECORDS);
        for (const m of messages) {
          const h = headers();
          h.set(LOG_BATCH_HEADER, String(m.records));
          await js.publish(m.subject, m.data, { headers: h });
        }
      }
      log(`stored ${drain.length.toLocaleString('en')} lines on ${subject} (${mode === 'lines' ? 'one per message' : 'record batches'})`);
      const delivered = (await jsm.consumers.info(JetStreamNames.logs, durable).catch(() => null))?.delivered.stream_seq ?? 0;
      // --profile <dir>: the draining agent writes a V8 CPU profile there when it stops (summarise with
      // tools/bench/cpuprofile-summary.mjs)
      // AGENT_IDLE_FLUSH_MS 500: the stored lines are a finished replay, and the agent closes its last windows this
      // long after the last record (the default 3 s, for live sources that pause, would be a third of the clock here)
      const drainer = await spawnService('agent-base', nc, { ...env, AGENT_CONSUME: 'true', AGENT_IDLE_FLUSH_MS: String(DRAIN_IDLE_FLUSH_MS) }, { readyTimeoutMs: 60_000, ...(opts.profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] } : {}) });
      services.push(drainer);
      // the clock starts at the first delivery to the agent (start-up is not analysis; the first acknowledgement would
      // come after a whole fetch of batches is analysed)
      await waitFor('the first delivery', async () => ((await jsm.consumers.info(JetStreamNames.logs, durable).catch(() => null))?.delivered.stream_seq ?? 0) > delivered || undefined, { timeoutMs: 120_000, intervalMs: 10 });
      const t0 = performance.now();
      const cpuOf = () => ({ agent: processCpuUs(drainer.process.pid), worker: processCpuUs(worker.process.pid), nats: nats?.process?.pid ? processCpuUs(nats.process.pid) : 0 });
      const c0 = cpuOf();
      await waitFor(
        'every stored line acknowledged',
        async () => {
          const info = await jsm.consumers.info(JetStreamNames.logs, durable).catch(() => null);
          return info && info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
        },
        { timeoutMs: 600_000, intervalMs: 50 },
      );
      const seconds = (performance.now() - t0) / 1000;
      const c1 = cpuOf();
      await drainer.stop();
      services.splice(services.indexOf(drainer), 1);
      const after = miner();
      const drained = drain.length / seconds;
      const baseline = (before + after) / 2;
      rows.push({
        goal: 0.6,
        scenario: `one agent-base (idle flush ${DRAIN_IDLE_FLUSH_MS / 1000} s) drains ${drainLines.toLocaleString('en')} HDFS lines from JetStream ${mode === 'lines' ? '(one line per message)' : `(record batches of ${LOG_BATCH_MAX_RECORDS}, as the bulk and OTLP inputs store them)`} vs the in-process TemplateMiner`,
        lines: drainLines,
        linesPerSecond: drained,
        baselineLinesPerSecond: baseline,
        ratio: drained / baseline,
        cpuMsPer1000: Object.fromEntries((['agent', 'worker', 'nats'] as const).map((k) => [k, Math.round((c1[k] - c0[k]) / 1000 / (drainLines / 1000))])),
        load: loadAverage(),
      });
      log(`drain (${mode}): ${Math.round(drained)} lines/s; miner ${Math.round(before)} / ${Math.round(after)} lines/s`);
    }
    return rows;
  } finally {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await dropSchema(schema).catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    await nats?.stop().catch(() => undefined);
  }
}

export function analysisTable(rows: AnalysisBenchRow[]): string {
  const n = (x: number) => Math.round(x).toLocaleString('en');
  return [
    '| scenario | lines/s | paired in-process lines/s | ratio | CPU ms per 1,000 lines | load average |',
    '|---|--:|--:|--:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${n(r.linesPerSecond)} | ${n(r.baselineLinesPerSecond)} | ${r.ratio.toFixed(2)}× | ${Object.entries(r.cpuMsPer1000 ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(' · ')} | ${r.load} |`,
    ),
  ].join('\n');
}

// tools/ts-run.mjs loads the bundle with import(), which leaves require.main unset: match the entry's name instead
const ranByTsRun = require.main === undefined && /(^|[\\/_])analysis\.[cm]?[jt]s$/.test(process.argv[1] ?? '');
if (require.main === module || ranByTsRun) {
  const profileAt = args.indexOf('--profile');
  runAnalysisBench({ runs: arg('runs', 5), analyzeLines: arg('lines', 10_000), drainLines: arg('drain-lines', 100_000), ...(profileAt >= 0 ? { profileDir: path.resolve(args[profileAt + 1] ?? 'tmp/profiles') } : {}) })
    .then((rows) => console.log(`\n${analysisTable(rows)}`))
    .catch((e: unknown) => {
      console.error(`[bench:analysis] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(1);
    });
}
