// `npm run chaos`: faults under load. A stack of real processes on this machine — its own nats-server (JetStream,
// nkeys), the embedded Postgres, a registry, two inference workers, both agents and two gateways — takes predict
// calls at a steady concurrency through both gateways and log lines into JetStream at a steady rate, while this
// tool, acting as the supervisor Kubernetes would be, kills or restarts one piece at a time and starts it again.
// For each fault it reports the predict calls that failed (a call that fails on a dead gateway's connection is retried
// once on the other gateway: predict is idempotent), the time until everything answered again, the log records the
// stream accepted but no result window covers (lost), the records covered by more than one window and the window ids
// published twice (duplicated), and whether anything needed a hand (the tool only restarts what it killed).
// `--soak-minutes N` runs no faults and samples each process's RSS and the predict p99 instead.
// `--faults postgres-system` restarts the machine's Postgres (127.0.0.1:5432, LOGLENS_SYSTEM_PG_URL) with
// pg_ctlcluster (or `service postgresql restart`); for that run the registry keeps its data there, in a database of its
// own made for the run and dropped after it, so nothing else on that Postgres is touched. Not in the default list.
// A run of some faults only (`--faults a,b`) replaces those rows of the table in docs/reliability.md and keeps the others.
//
// CLI: npm run chaos [-- --phase-seconds 20 --concurrency 32 --rate 200 --faults worker,registry,... --soak-minutes 0 --out docs/reliability.md]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type JetStreamClient, type NatsConnection } from 'nats';
import { Client as PgClient } from 'pg';
import { AnalysisSubjects, JetStreamNames, LogSubjects, NAMESPACE, RegistrySubjects, type WindowResultDto } from '@loglens/contracts';
import { freePort, startNatsCluster, startNatsServer, type NatsClusterHandle, type NatsHandle } from '@loglens/dev-infra';
import { RpcClient, natsConnectOptions, natsServers } from '@loglens/nest-common';
import { natsCredentialEnv, spawnEmbeddedPostgres, spawnService, waitFor, type PostgresProcess, type RunningService } from '@loglens/testing';
import { buildDefaultModels } from '@loglens/testing/models';
import { workspaceRoot } from '@loglens/testing/workspace';
import { seedDefaultModels } from '../stack/seed-default-models';

type Fault = 'worker' | 'registry' | 'agent-base' | 'agent-wifi' | 'gateway' | 'nats' | 'postgres' | 'postgres-system' | 'nats-node';
const ALL_FAULTS: Fault[] = ['worker', 'registry', 'agent-base', 'agent-wifi', 'gateway', 'nats', 'postgres'];
const CLUSTER_FAULTS: Fault[] = ['nats-node', 'worker', 'gateway', 'agent-base'];

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) args.set(a.slice(2), process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[++i] : 'true');
}
const PHASE_S = Number(args.get('phase-seconds') ?? 20);
const CONCURRENCY = Number(args.get('concurrency') ?? 32);
const RATE = Number(args.get('rate') ?? 200);
const SOAK_MIN = Number(args.get('soak-minutes') ?? 0);
const CLUSTER = args.has('cluster');
const FAULTS = (args.has('faults') ? (args.get('faults') ?? '').split(',').filter((f) => f && f !== 'true') : CLUSTER ? CLUSTER_FAULTS : ALL_FAULTS) as Fault[];
/** the registry's data on the machine's Postgres (the postgres-system fault restarts that one) */
const SYSTEM_PG = FAULTS.includes('postgres-system');
const SYSTEM_PG_URL = process.env['LOGLENS_SYSTEM_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ws = workspaceRoot();
const OUT = path.resolve(ws, args.get('out') ?? 'docs/reliability.md');
const SOURCE = 'chaos';
const VIEWER_KEY = 'chaos-viewer-key-0001';
const log = (line: string): void => void process.stdout.write(`[chaos ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
const t0 = Date.now();

// ---------------------------------------------------------------- the stack, with the supervisor's restart verbs

class Stack {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'loglens-chaos-'));
  nats!: NatsHandle;
  cluster: NatsClusterHandle | null = null;
  natsPort = 0;
  pgPort = 0;
  pg: PostgresProcess | null = null;
  databaseUrl = '';
  nc!: NatsConnection;
  services = new Map<string, RunningService>();
  gatewayPorts: number[] = [];

  async start(): Promise<void> {
    if (CLUSTER) {
      this.cluster = await startNatsCluster({ dataDir: path.join(this.dir, 'nats'), namespaces: [NAMESPACE] });
      const cluster = this.cluster;
      this.nats = { url: cluster.url, owned: true, security: cluster.security, stop: () => cluster.stop() };
      // streams the services create get three replicas, so losing one node loses no record
      process.env['LOGLENS_STREAM_REPLICAS'] = '3';
    } else await this.startNats();
    process.env['LOGLENS_NATS_CREDENTIALS'] = this.nats.security?.credentialsDir(NAMESPACE);
    if (SYSTEM_PG) await this.createSystemDatabase();
    else await this.startPostgres();
    this.nc = await connect({ ...natsConnectOptions('ops', natsCredentialEnv('ops')), servers: natsServers(this.nats.url), name: 'chaos', maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    await this.spawn('registry');
    await this.spawn('worker-1');
    await this.spawn('worker-2');
    await this.spawn('agent-base');
    await this.spawn('agent-wifi');
    this.gatewayPorts = [await freePort(), await freePort()];
    await this.spawn('gateway-1');
    await this.spawn('gateway-2');
    await seedDefaultModels(new RpcClient(this.nc), log, async () => buildDefaultModels());
    const logs = await (await this.nc.jetstreamManager()).streams.info(JetStreamNames.logs);
    log(`LOGS stream: ${logs.config.num_replicas} replica(s)${logs.cluster ? ` led by ${logs.cluster.leader}, replicas ${(logs.cluster.replicas ?? []).map((r) => r.name).join(', ')}` : ''}`);
  }

  async startNats(): Promise<void> {
    this.nats = await startNatsServer({ dataDir: path.join(this.dir, 'nats'), preferredPort: this.natsPort || undefined, secure: { namespaces: [NAMESPACE] } });
    this.natsPort = Number(new URL(this.nats.url).port);
  }

  async startPostgres(): Promise<void> {
    this.pgPort ||= await freePort();
    this.pg = await spawnEmbeddedPostgres(path.join(this.dir, 'pg'), this.pgPort);
    this.databaseUrl = this.pg.url;
  }

  /** A database of this run's own on the machine's Postgres, for the registry. */
  async createSystemDatabase(): Promise<void> {
    await pgQuery(SYSTEM_PG_URL, `CREATE DATABASE ${this.systemDatabase}`);
    const url = new URL(SYSTEM_PG_URL);
    url.pathname = `/${this.systemDatabase}`;
    this.databaseUrl = url.toString();
    log(`registry data in ${this.systemDatabase} on the machine's Postgres (${url.host})`);
  }

  readonly systemDatabase = `loglens_chaos_${Date.now().toString(36)}`;

  async stopPostgres(): Promise<void> {
    const pg = this.pg;
    if (!pg) return;
    await pg.stop();
  }

  /** Starts (or starts again) one named process of the stack and waits until it reports healthy. */
  async spawn(name: string): Promise<void> {
    const app = name.startsWith('worker') ? 'inference-worker' : name.startsWith('gateway') ? 'gateway' : name;
    const env: NodeJS.ProcessEnv = { NATS_URL: this.nats.url, LOG_LEVEL: 'warn' };
    if (app === 'registry') env['DATABASE_URL'] = this.databaseUrl;
    if (app === 'gateway') {
      env['API_KEYS'] = `viewer:${VIEWER_KEY}`;
      env['GATEWAY_PORT'] = String(this.gatewayPorts[Number(name.split('-')[1]) - 1]);
      env['GATEWAY_HOST'] = '127.0.0.1';
    }
    const svc = await spawnService(app, this.nc, env, { instanceId: `${name}-${Date.now().toString(36)}`, readyTimeoutMs: 90_000 });
    this.services.set(name, svc);
  }

  pidOf(name: string): number | undefined {
    return this.services.get(name)?.process.pid;
  }

  async kill(name: string): Promise<void> {
    await this.services.get(name)?.stop('SIGKILL');
  }

  async stop(): Promise<void> {
    for (const [, s] of [...this.services].reverse()) await s.stop('SIGTERM').catch(() => undefined);
    await this.nc?.close().catch(() => undefined);
    await this.stopPostgres();
    if (SYSTEM_PG) await pgQuery(SYSTEM_PG_URL, `DROP DATABASE IF EXISTS ${this.systemDatabase} WITH (FORCE)`).catch((e: Error) => log(`could not drop ${this.systemDatabase}: ${e.message}`));
    await this.nats?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- load: predict through both gateways, logs into JetStream

interface PhaseStats {
  name: string;
  requests: number;
  ok: number;
  retriedOk: number;
  failed: number;
  failures: Map<string, number>;
  latencies: number[];
  firstSeq: number;
  lastSeq: number;
  recoverySec: number | null;
  note: string;
}

class Load {
  running = true;
  phase!: PhaseStats;
  published = new Map<number, string>(); // stream seq → phase name
  publishErrors = 0;
  private lineNo = 0;
  private eventTime = Date.UTC(2026, 0, 1);
  lastOkAt = 0;
  lastFailAt = 0;

  constructor(private readonly stack: Stack, private readonly features: number) {}

  newPhase(name: string): PhaseStats {
    this.phase = { name, requests: 0, ok: 0, retriedOk: 0, failed: 0, failures: new Map(), latencies: [], firstSeq: 0, lastSeq: 0, recoverySec: null, note: '' };
    return this.phase;
  }

  startPredict(): Promise<void>[] {
    const body = JSON.stringify({ model: 'log-anomaly', rows: [Array.from({ length: this.features }, (_, i) => (i % 3 === 0 ? 1 : 0))] });
    const ports = this.stack.gatewayPorts;
    return Array.from({ length: CONCURRENCY }, async (_, worker) => {
      let n = worker;
      while (this.running) {
        const phase = this.phase;
        const first = ports[n++ % ports.length];
        const started = performance.now();
        phase.requests++;
        let outcome = await callPredict(first, body);
        if (outcome === 'network') {
          // the connection broke (a gateway died): predict is idempotent, try the other gateway once
          outcome = await callPredict(ports.find((p) => p !== first) ?? first, body);
          if (outcome === 'ok') phase.retriedOk++;
        }
        if (outcome === 'ok') {
          phase.ok++;
          phase.latencies.push(performance.now() - started);
          this.lastOkAt = Date.now();
        } else {
          phase.failed++;
          phase.failures.set(outcome, (phase.failures.get(outcome) ?? 0) + 1);
          this.lastFailAt = Date.now();
          await sleep(20);
        }
      }
    });
  }

  /** Log lines at RATE per second into JetStream; a line is counted once the stream acknowledged it (retried until then). */
  async startLogs(): Promise<void> {
    const js: JetStreamClient = this.stack.nc.jetstream();
    const subject = `${LogSubjects.generic}.${SOURCE}`;
    const tick = 50;
    const perTick = Math.max(1, Math.round((RATE * tick) / 1000));
    while (this.running) {
      const due = Date.now() + tick;
      for (let i = 0; i < perTick && this.running; i++) await this.publishLine(js, subject, this.nextLine());
      await sleep(Math.max(0, due - Date.now()));
    }
  }

  nextLine(offsetMs = 0): string {
    // one second of event time per line: at 200 lines/s a five-minute window closes every 1.5 s, so a fault lands
    // among many windows (open, closing, being published) rather than inside one
    this.eventTime += 1000;
    const n = ++this.lineNo;
    const kinds = [`request ${n} served in ${n % 17} ms`, `cache hit for key k${n % 97}`, `user u${n % 13} logged in from 10.0.${n % 7}.${n % 200}`, `flushed ${n % 50} rows to disk`];
    return `${new Date(this.eventTime + offsetMs).toISOString()} chaos-host app[42]: ${kinds[n % kinds.length]}`;
  }

  async publishLine(js: JetStreamClient, subject: string, line: string): Promise<number> {
    for (;;) {
      try {
        const ack = await js.publish(subject, new TextEncoder().encode(line), { msgID: `chaos-${this.lineNo}`, timeout: 5000 });
        if (!ack.duplicate) this.published.set(ack.seq, this.phase.name);
        this.phase.firstSeq ||= ack.seq;
        this.phase.lastSeq = ack.seq;
        return ack.seq;
      } catch {
        // NATS restarting: the producer keeps the line and tries again (msgID makes a retry after a lost ack harmless)
        this.publishErrors++;
        await sleep(200);
      }
    }
  }
}

async function callPredict(port: number, body: string): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/models/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': VIEWER_KEY },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer();
    return res.ok ? 'ok' : `HTTP ${res.status}`;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError') return 'timeout';
    return 'network';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- faults

async function inject(stack: Stack, fault: Fault): Promise<string> {
  switch (fault) {
    case 'worker':
      await stack.kill('worker-1');
      await stack.spawn('worker-1');
      return 'SIGKILL worker-1 (of 2), started again';
    case 'gateway':
      await stack.kill('gateway-1');
      await stack.spawn('gateway-1');
      return 'SIGKILL gateway-1 (of 2), started again on its port';
    case 'registry':
    case 'agent-base':
    case 'agent-wifi':
      await stack.kill(fault);
      await stack.spawn(fault);
      return `SIGKILL ${fault}, started again`;
    case 'nats':
      await stack.nats.stop();
      await sleep(1000);
      await stack.startNats();
      return 'nats-server stopped and started again (same port, same JetStream store)';
    case 'nats-node': {
      // the node that leads the LOGS stream, so its records must survive on the other two
      const cluster = stack.cluster;
      if (!cluster) throw new Error('nats-node needs --cluster');
      const leader = (await (await stack.nc.jetstreamManager()).streams.info(JetStreamNames.logs)).cluster?.leader;
      const victim = Math.max(0, cluster.nodes.findIndex((n) => n.name === leader));
      cluster.nodes[victim].process?.kill('SIGKILL');
      await sleep(5000);
      await cluster.restart(victim);
      return `SIGKILL NATS node ${cluster.nodes[victim].name} (of 3; it led the LOGS stream), started again after 5 s`;
    }
    case 'postgres':
      await stack.stopPostgres();
      await sleep(1000);
      await stack.startPostgres();
      return 'embedded Postgres stopped and started again (same port, same data)';
    case 'postgres-system':
      return `the machine's Postgres restarted (${restartSystemPostgres()}); the registry's data in a database of its own there`;
  }
}

/** Restarts the machine's Postgres with pg_ctlcluster (every cluster it lists), else `service postgresql restart`. */
function restartSystemPostgres(): string {
  const clusters = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  const found = clusters.status === 0 ? clusters.stdout.split('\n').map((l) => l.trim().split(/\s+/)).filter((c) => c.length >= 3 && c[2] === String(new URL(SYSTEM_PG_URL).port || 5432)) : [];
  if (found.length > 0) {
    const [version, name] = found[0];
    const r = spawnSync('pg_ctlcluster', [version, name, 'restart'], { encoding: 'utf8' });
    if (r.status === 0) return `pg_ctlcluster ${version} ${name} restart`;
    log(`pg_ctlcluster failed (${r.stderr.trim()}): trying service postgresql restart`);
  }
  const r = spawnSync('service', ['postgresql', 'restart'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not restart the machine's Postgres: ${r.stderr.trim() || r.stdout.trim()}`);
  return 'service postgresql restart';
}

async function pgQuery(url: string, sql: string): Promise<void> {
  const c = new PgClient({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Everything answers again: predict through both gateways and a registry call. */
async function recovered(stack: Stack): Promise<void> {
  const rpc = new RpcClient(stack.nc);
  await waitFor(
    'the stack to answer again',
    async () => {
      for (const port of stack.gatewayPorts) {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/models`, { headers: { 'x-api-key': VIEWER_KEY } }).catch(() => null);
        if (!res?.ok) return undefined;
      }
      return (await rpc.call(RegistrySubjects.listModels, {}, { timeoutMs: 2000 }).then(() => true).catch(() => undefined)) ?? undefined;
    },
    { timeoutMs: 180_000, intervalMs: 250 },
  );
}

// ---------------------------------------------------------------- accounting: every record in a window, once

async function readResults(nc: NatsConnection): Promise<WindowResultDto[]> {
  const js = nc.jetstream();
  const consumer = await js.consumers.get(JetStreamNames.analysis, { filterSubjects: `${AnalysisSubjects.results}.${SOURCE}` });
  const out: WindowResultDto[] = [];
  const info = await (await nc.jetstreamManager()).streams.info(JetStreamNames.analysis);
  if (info.state.messages === 0) return out;
  const messages = await consumer.fetch({ max_messages: 100_000, expires: 5000 });
  for await (const m of messages) {
    out.push(JSON.parse(new TextDecoder().decode(m.data)) as WindowResultDto);
    if (m.info.pending === 0) break;
  }
  return out;
}

function p99(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
}

function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  if (!existsSync(path.join(ws, 'dist/apps/gateway/main.js'))) throw new Error('build first: npx nx run-many -t build --projects=registry,inference-worker,agent-base,agent-wifi,gateway');
  const features = (buildDefaultModels().find((m) => m.name === 'log-anomaly')?.metadata as { featureSchema?: { features: unknown[] } })?.featureSchema?.features.length ?? 29;
  const stack = new Stack();
  log(`starting the stack in ${stack.dir}`);
  await stack.start();
  const load = new Load(stack, features);
  const phases: PhaseStats[] = [];
  phases.push(load.newPhase('baseline'));
  const loops = [...load.startPredict(), load.startLogs()];
  const soak: Array<{ minute: number; p99: number; rss: Record<string, number | null> }> = [];
  try {
    await sleep(PHASE_S * 1000);
    if (SOAK_MIN > 0) {
      for (let minute = 1; minute <= SOAK_MIN; minute++) {
        const phase = load.newPhase(`soak minute ${minute}`);
        phases.push(phase);
        await sleep(60_000);
        const rss = Object.fromEntries([...stack.services.keys()].map((n) => [n, rssMb(stack.pidOf(n))]));
        soak.push({ minute, p99: p99(phase.latencies), rss });
        log(`soak minute ${minute}: p99 ${p99(phase.latencies).toFixed(1)} ms, RSS ${JSON.stringify(rss)}`);
      }
    } else {
      for (const fault of FAULTS) {
        const phase = load.newPhase(fault);
        phases.push(phase);
        const started = Date.now();
        log(`fault: ${fault}`);
        phase.note = await inject(stack, fault);
        await recovered(stack);
        // recovered: the victim is back and answers; the last failed call (if any) marks when callers saw it end
        phase.recoverySec = (Math.max(Date.now(), load.lastFailAt > started ? load.lastFailAt : 0) - started) / 1000;
        log(`${fault}: recovered in ${phase.recoverySec.toFixed(1)} s; ${phase.failed} failed of ${phase.requests}`);
        await sleep(PHASE_S * 1000);
      }
    }
  } finally {
    load.running = false;
    await Promise.allSettled(loops);
  }
  // a line an hour later closes every window still open; then wait until the results cover every record
  const closer = load.newPhase('closer');
  const js = stack.nc.jetstream();
  await load.publishLine(js, `${LogSubjects.generic}.${SOURCE}`, load.nextLine(3_600_000));
  load.published.delete(closer.lastSeq);
  log(`${load.published.size} records accepted by the stream; waiting for their windows`);
  let results: WindowResultDto[] = [];
  const covered = new Map<number, Set<string>>();
  await waitFor(
    'every record in a result window',
    async () => {
      results = await readResults(stack.nc).catch((e: unknown) => {
        log(`reading the results: ${(e as Error).message}`);
        return results;
      });
      covered.clear();
      for (const r of results) {
        for (const id of r.recordIds) {
          const seq = Number(id);
          if (!covered.has(seq)) covered.set(seq, new Set());
          covered.get(seq)?.add(r.id);
        }
      }
      return [...load.published.keys()].every((seq) => covered.has(seq)) ? true : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 2000 },
  ).catch(async () => {
    log('not every record reached a window in 180 s (counted as lost below)');
    const jsm = await stack.nc.jetstreamManager();
    for (const name of [JetStreamNames.logs, JetStreamNames.analysis]) {
      const info = await jsm.streams.info(name).catch(() => null);
      log(`${name}: ${info?.state.messages ?? '?'} messages`);
      for await (const c of jsm.consumers.list(name)) log(`  consumer ${c.name}: pending ${c.num_pending}, ack pending ${c.num_ack_pending}, redelivered ${c.num_redelivered}`);
    }
  });
  const ids = new Map<string, number>();
  for (const r of results) ids.set(r.id, (ids.get(r.id) ?? 0) + 1);
  const lostBy = new Map<string, number>();
  const dupBy = new Map<string, number>();
  for (const [seq, phase] of load.published) {
    const windows = covered.get(seq);
    if (!windows) lostBy.set(phase, (lostBy.get(phase) ?? 0) + 1);
    else if (windows.size > 1) dupBy.set(phase, (dupBy.get(phase) ?? 0) + 1);
  }
  const dupIds = [...ids.values()].filter((n) => n > 1).length;
  const finalRss = Object.fromEntries([...stack.services.keys()].map((n) => [n, rssMb(stack.pidOf(n))]));
  await stack.stop();

  const report = render({ phases: phases.filter((p) => p.name !== 'closer'), lostBy, dupBy, dupIds, records: load.published.size, windows: ids.size, publishErrors: load.publishErrors, soak, finalRss });
  console.log(report);
  const which = SOAK_MIN > 0 ? 'soak' : CLUSTER ? 'cluster' : 'chaos';
  // some faults only: their rows replace those in the table, every other row stays
  writeSection(args.has('faults') && SOAK_MIN === 0 ? mergeRows(readSection(which), report) : report, which);
  log(`written to ${path.relative(ws, OUT)}`);
}

function render(r: {
  phases: PhaseStats[];
  lostBy: Map<string, number>;
  dupBy: Map<string, number>;
  dupIds: number;
  records: number;
  windows: number;
  publishErrors: number;
  soak: Array<{ minute: number; p99: number; rss: Record<string, number | null> }>;
  finalRss: Record<string, number | null>;
}): string {
  const cmd = `npm run chaos -- ${process.argv.slice(2).join(' ')}`.trim();
  const lines = [
    SOAK_MIN > 0 ? `### Soak (${SOAK_MIN} min)` : CLUSTER ? '### Faults under load on a three-node NATS cluster (R3 streams)' : '### Faults under load',
    '',
    `Command: \`${cmd}\` — ${new Date().toISOString().slice(0, 10)}, ${CONCURRENCY} concurrent predict calls through two gateways, ${RATE} log lines/s into JetStream, ${PHASE_S} s per phase. ` +
      `${r.records} records accepted by the stream, ${r.windows} result windows; producer publishes retried while NATS was away: ${r.publishErrors}.`,
    '',
  ];
  if (SOAK_MIN === 0) {
    lines.push(
      '| fault | what was done | predict calls | failed | retried on the other gateway | p99 / slowest call | recovery | records lost | records in two windows | manual step |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...r.phases.map((p) => {
        const failures = [...p.failures].map(([k, n]) => `${n} ${k}`).join(', ');
        const slowest = p.latencies.reduce((a, b) => Math.max(a, b), 0);
        return `| ${p.name} | ${p.note || 'no fault'} | ${p.requests} | ${p.failed}${failures ? ` (${failures})` : ''} | ${p.retriedOk} | ${p99(p.latencies).toFixed(0)} / ${slowest.toFixed(0)} ms | ${p.recoverySec === null ? '—' : `${p.recoverySec.toFixed(1)} s`} | ${r.lostBy.get(p.name) ?? 0} | ${r.dupBy.get(p.name) ?? 0} | no |`;
      }),
      '',
      `Window ids published more than once: ${r.dupIds}. "Recovery": from the fault until both gateways and the registry answer again (the killed process restarted by this tool, as a supervisor would); failed calls are those in flight to the dead process or made before it was back.`,
    );
  } else {
    const names = Object.keys(r.soak[0]?.rss ?? {});
    lines.push(`| minute | predict p99 (ms) | ${names.map((n) => `${n} RSS (MB)`).join(' | ')} |`, `|---|---|${names.map(() => '---|').join('')}`);
    for (const s of r.soak) lines.push(`| ${s.minute} | ${s.p99.toFixed(1)} | ${names.map((n) => s.rss[n]?.toFixed(0) ?? '—').join(' | ')} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** The current body of a section of docs/reliability.md (null when there is none). */
function readSection(which: 'chaos' | 'soak' | 'cluster'): string | null {
  const text = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  const i = text.indexOf(`<!-- ${which}:start -->\n`);
  const j = text.indexOf(`<!-- ${which}:end -->`);
  return i >= 0 && j > i ? text.slice(i + `<!-- ${which}:start -->\n`.length, j) : null;
}

/**
 * A run of some faults merged into the section of a full run: each fault row of this run (not its baseline) replaces
 * the row of that fault or is added after the last one, and a line under the table names the command behind them.
 */
function mergeRows(previous: string | null, report: string): string {
  if (!previous || !previous.includes('| fault |')) return report;
  const isRow = (l: string) => /^\| [a-z-]+ \|/.test(l) && !l.startsWith('| fault |');
  const name = (l: string) => l.split('|')[1].trim();
  const fresh = report.split('\n').filter((l) => isRow(l) && name(l) !== 'baseline');
  const lines = previous.trimEnd().split('\n');
  for (const row of fresh) {
    const at = lines.findIndex((l) => isRow(l) && name(l) === name(row));
    if (at >= 0) lines[at] = row;
    else lines.splice(lines.map(isRow).lastIndexOf(true) + 1, 0, row);
  }
  const command = report.split('\n').find((l) => l.startsWith('Command: ')) ?? '';
  const names = fresh.map(name).join(', ');
  const label = `${fresh.length === 1 ? 'Row' : 'Rows'} ${names}: `;
  const note = `${label}${command.replace(/^Command: /, '')}`;
  const kept = lines.filter((l) => !l.startsWith(label));
  return `${kept.join('\n')}\n\n${note}\n`;
}

/** Replaces this run's section of docs/reliability.md (between its markers), leaving the rest of the file alone. */
function writeSection(body: string, which: 'chaos' | 'soak' | 'cluster'): void {
  const start = `<!-- ${which}:start -->`;
  const end = `<!-- ${which}:end -->`;
  const text = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '# Reliability\n';
  const block = `${start}\n${body}${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  writeFileSync(OUT, i >= 0 && j > i ? `${text.slice(0, i)}${block}${text.slice(j + end.length)}` : `${text.trimEnd()}\n\n${block}\n`);
}

main().catch((e: unknown) => {
  console.error(`chaos failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
