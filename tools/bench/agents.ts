// Agent throughput: how fast one agent-wifi analyses a backlog. A simulated WiFi capture (hostapd, wpa_supplicant and
// dnsmasq syslog lines plus JSON telemetry, tools/sim) is stored in the LOGS stream first; then one agent-wifi starts
// against the default wifi-anomaly model and the clock runs from its first acknowledgement until every record is
// acknowledged (each only after every window it is in has been scored and stored). Prints lines/s, windows, and CPU
// per 1,000 lines of each process. The services are the built dist/apps/*/main.js, on a nats-server and an embedded
// Postgres started here (never a shared NATS: the agent's durable consumer would take other sources' backlog too).
// Usage: npm run bench:agents [-- --days 10]   (about a minute for 10 days ≈ 260,000 lines; writes no file)
// `npm run bench:agents -- --ingest [--lines 100000]` runs the log inputs' benchmark instead (tools/bench/ingest.ts).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import {
  agentDurable,
  HealthSubjects,
  JetStreamNames,
  LogSubjects,
} from '@loglens/contracts';
import { startNatsServer, type NatsHandle } from '@loglens/dev-infra';
import { ensureAnalysisInfrastructure, RpcClient, scatterGather } from '@loglens/nest-common';
import { dropSchema, type PostgresProcess, processCpuUs, type RunningService, spawnEmbeddedPostgres, spawnService, uniqueSchema, workspaceRoot } from '@loglens/testing';
import { buildDefaultModels, loadWifiSamples, simulateWifi } from '@loglens/testing/models';
import { seedDefaultModels } from '../stack/seed-default-models';

const DAYS_ARG = process.argv.indexOf('--days');
const DAYS = DAYS_ARG >= 0 ? Math.max(0.1, Number(process.argv[DAYS_ARG + 1]) || 10) : 10;
const SOURCE = `bench${Date.now().toString(36)}`;
const SUBJECT = `${LogSubjects.wifi}.${SOURCE}`;
const DRAIN_LIMIT_MS = 10 * 60_000;
/** user + system CPU of a process so far, ms */
const cpuMs = (pid: number | undefined) => processCpuUs(pid) / 1000;

async function publishAll(nc: NatsConnection, lines: readonly string[]): Promise<void> {
  const js = nc.jetstream();
  const encoder = new TextEncoder();
  for (let i = 0; i < lines.length; i += 2000) {
    await Promise.all(lines.slice(i, i + 2000).map((l) => js.publish(SUBJECT, encoder.encode(l))));
  }
}

async function main(): Promise<void> {
  const log = (m: string) => console.error(`[bench:agents] ${m}`);
  let nats: NatsHandle | undefined;
  let pg: PostgresProcess | undefined;
  const services: RunningService[] = [];
  const schema = uniqueSchema('benchagents');
  let nc: NatsConnection | undefined;
  try {
    nats = await startNatsServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'loglens-bench-agents-')) });
    // in a process of its own, not on this load generator's event loop
    pg = await spawnEmbeddedPostgres();
    const natsUrl = nats.url;
    const databaseUrl = pg.url;
    // the testing helpers (dropSchema) read these
    process.env['NATS_URL'] = natsUrl;
    process.env['DATABASE_URL'] = databaseUrl;
    nc = await connect({ servers: natsUrl, name: 'bench-agents' });
    const rpc = new RpcClient(nc, 30_000);

    services.push(
      await spawnService(
        'registry',
        nc,
        { NATS_URL: natsUrl, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema },
        { readyTimeoutMs: 60_000 },
      ),
    );
    const worker = await spawnService(
      'inference-worker',
      nc,
      { NATS_URL: natsUrl },
      { readyTimeoutMs: 60_000 },
    );
    services.push(worker);
    await seedDefaultModels(rpc, log, async () => buildDefaultModels());

    const sim = simulateWifi({ seed: 7, durationMs: DAYS * 86_400_000, incidents: [], ...pickSamples() });
    log(
      `storing ${sim.lines.length.toLocaleString('en-US')} simulated lines (${DAYS} days, 6 APs) on ${SUBJECT}`,
    );
    await ensureAnalysisInfrastructure(nc);
    await publishAll(nc, sim.lines);

    const jsm = await nc.jetstreamManager();
    const agent = await spawnService(
      'agent-wifi',
      nc,
      { NATS_URL: natsUrl, AGENT_CONSUME: 'true' },
      { readyTimeoutMs: 60_000 },
    );
    services.push(agent);
    const pids = {
      agent: agent.process.pid,
      worker: worker.process.pid,
      registry: services[0].process.pid,
      nats: nats.process?.pid,
    };
    // the clock starts at the first acknowledgement (the agent's own start-up is not analysis)
    let started: number | null = null;
    let cpu0: Record<string, number> = {};
    const deadline = Date.now() + DRAIN_LIMIT_MS;
    for (;;) {
      const info = await jsm.consumers.info(JetStreamNames.logs, agentDurable('wifi')).catch(() => null);
      if (info && started === null && info.ack_floor.stream_seq > 0) {
        started = performance.now();
        cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
      }
      if (info && info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0)
        break;
      if (Date.now() > deadline)
        throw new Error(
          `the agent did not drain ${sim.lines.length} lines within ${DRAIN_LIMIT_MS / 1000} s`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - (started ?? performance.now())) / 1000;
    const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid) - (cpu0[k] ?? 0)]));
    const pings = await scatterGather(nc, HealthSubjects.ping, 300);
    const stats = pings.find((p) => p.instanceId === agent.instanceId)?.details?.['stream'] as
      | { windows?: number; anomalies?: number }
      | undefined;
    const perK = (ms: number) => ((ms / sim.lines.length) * 1000).toFixed(0);
    console.log(
      [
        `| lines | seconds | lines/s | windows | anomalies | CPU ms per 1,000 lines |`,
        `|--:|--:|--:|--:|--:|---|`,
        `| ${sim.lines.length.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${Math.round(sim.lines.length / seconds).toLocaleString('en-US')} | ${stats?.windows ?? '?'} | ${stats?.anomalies ?? '?'} | ` +
          Object.entries(cpu)
            .filter(([k]) => pids[k as keyof typeof pids])
            .map(([k, ms]) => `${k} ${perK(ms)}`)
            .join(' · ') +
          ' |',
      ].join('\n'),
    );
  } finally {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await dropSchema(schema).catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    await nats?.stop().catch(() => undefined);
  }
}

function pickSamples(): {
  realHostapdLines: string[];
  linkSamples: ReturnType<typeof loadWifiSamples>['linkSamples'];
} {
  const samples = loadWifiSamples(workspaceRoot());
  return { realHostapdLines: samples.hostapdLines, linkSamples: samples.linkSamples };
}

(process.argv.includes('--ingest') ? import('./ingest').then((m) => m.runIngestBench()) : main()).catch((e: unknown) => {
  console.error(`[bench:agents] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
