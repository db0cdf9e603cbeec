// `npm start`: the whole LogLens stack on one machine. Uses NATS_URL / DATABASE_URL when given, otherwise starts a
// nats-server with JetStream and an embedded Postgres (PGlite) under the data folder, on free ports when the standard
// ones are taken. Then the registry, INFERENCE_WORKERS workers, both agents and the gateway, each line prefixed with
// its service's name; the trainer with the first train job; the ingest app (syslog input) only when SYSLOG_PORT is
// set. Ctrl-C stops everything it started.
// Only the gateway gets API_KEYS and the token secret; without API_KEYS the first start makes an admin, an operator
// and a viewer key and prints them once (the registry keeps their hashes; no plain key is written to disk).
// `npm run cluster` (`--cluster`): the scaled-out layout on loopback instead — a three-node NATS cluster with every
// stream kept on three nodes (LOGLENS_STREAM_REPLICAS=3), 2 registries, INFERENCE_WORKERS (3) workers, 2 instances of
// each agent splitting LOGLENS_LOG_PARTITIONS (4) partitions of LOGS, the trainer and 2 gateways (GATEWAY_PORT and the
// next port), its data under <data dir>/cluster.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { NATS_INSTALL_HINT, findNatsServer, startNatsCluster, startNatsServer, type NatsClusterHandle, type NatsHandle } from '@loglens/dev-infra';
import { HealthSubjects, JobSubjects, NAMESPACE, TrainerStreams, type ReadinessDto } from '@loglens/contracts/protocol';
// the launcher stays for as long as the stack runs: it takes the NATS helpers from @loglens/nest-common/nats, not from
// @loglens/nest-common's index, which would load Nest, rxjs and the rest of a service (~30 MB) into it
import { PATIENT_FIRST_CONNECT, RpcClient, natsConnectOptions, natsServers, scatterGather } from '@loglens/nest-common/nats';
import { ensureFirstKeys, gatewayTokenSecret, type FirstKeys } from './api-keys';
import { seedDefaultModels, trainInChildProcess } from './seed-default-models';
import { ServiceProcess, prefixedLog } from './service-process';
import { workspaceRoot } from '@loglens/testing/workspace';

const ws = workspaceRoot();
const env = process.env;
const CLUSTER = process.argv.includes('--cluster');
const dataDir = path.resolve(ws, env['LOGLENS_DATA_DIR'] ?? '.loglens', CLUSTER ? 'cluster' : '.');
const gatewayPort = Number(env['GATEWAY_PORT'] ?? 3000);
const workers = Number(env['INFERENCE_WORKERS'] ?? (CLUSTER ? 3 : 1));
/** how many of each: registries, instances of each agent kind, gateways */
const scale = CLUSTER ? { registries: 2, agents: 2, gateways: 2 } : { registries: 1, agents: 1, gateways: 1 };
/** LOGS partitions the agent instances split (cluster: 4, two per instance); every service gets the same value */
const logPartitions = Number(env['LOGLENS_LOG_PARTITIONS'] || (CLUSTER ? 4 : 1));
/**
 * Node flags of the processes off the request paths `npm start` runs (registry, trainer, ingest, the embedded
 * Postgres): a 2 MB young generation instead of V8's 16 MB takes ~15–30 MB off each idle one. The gateway and the
 * workers get 4 MB: V8 grows the young generation to its maximum while a service starts and keeps it at idle (gateway
 * 139 → 116 MB, worker 149 → 130), and back-to-back A/B runs of the hot-path and gateway benches showed no loss of
 * rate or CPU per request against 16 MB (docs/benchmarks.md, "Footprint: the margin"). The agents keep V8's defaults
 * (4 MB took only ~8 MB off agent-base, and no bench of their drain rate was run with it). LOGLENS_NODE_FLAGS replaces
 * the flags of every service (e.g. `--enable-source-maps` for TypeScript lines in stack traces, ~12 MB per service;
 * `npm start` no longer sets it).
 */
const OFF_PATH_NODE_FLAGS = ['--max-semi-space-size=2'];
/**
 * The embedded Postgres's own flags, kept with LOGLENS_NODE_FLAGS: PGlite's WASM (9 MB) compiled by Liftoff only. V8's
 * tier-up recompiles the hot functions with TurboFan on its worker threads, whose malloc arenas keep ~45 MB RSS
 * afterwards; the registry's small queries ran as fast without it (docs/benchmarks.md, "Footprint").
 */
const POSTGRES_NODE_FLAGS = ['--liftoff-only'];
const REQUEST_PATH_NODE_FLAGS = ['--max-semi-space-size=4'];
const REQUEST_PATH_APPS = new Set(['gateway', 'inference-worker']);
const AGENT_APPS = new Set(['agent-base', 'agent-wifi']);
const givenNodeFlags = env['LOGLENS_NODE_FLAGS']?.split(/\s+/).filter(Boolean);
const nodeFlags = (app: string): string[] =>
  givenNodeFlags ?? (REQUEST_PATH_APPS.has(app) ? REQUEST_PATH_NODE_FLAGS : AGENT_APPS.has(app) ? [] : OFF_PATH_NODE_FLAGS);
const APPS = ['registry', 'inference-worker', 'agent-base', 'agent-wifi', 'trainer', 'gateway', 'ingest'];

const log = prefixedLog('loglens');
const services: ServiceProcess[] = [];
let nats: NatsHandle | null = null;
let natsCluster: NatsClusterHandle | null = null;
let postgres: ServiceProcess | null = null;
let nc: NatsConnection | null = null;
let stopping = false;

async function main(): Promise<void> {
  if (!Number.isInteger(workers) || workers < 1 || workers > 32) fail(`INFERENCE_WORKERS must be 1..32 (got ${env['INFERENCE_WORKERS']})`);
  if (!Number.isInteger(logPartitions) || logPartitions < scale.agents) fail(`LOGLENS_LOG_PARTITIONS must be a whole number ≥ ${scale.agents} (got ${env['LOGLENS_LOG_PARTITIONS']})`);
  if (CLUSTER && env['NATS_URL']) fail('npm run cluster starts its own NATS cluster: unset NATS_URL');
  mkdirSync(dataDir, { recursive: true });
  if (env['LOGLENS_SKIP_BUILD'] !== '1') build();

  const natsUrl = env['NATS_URL'] || (CLUSTER ? await startOwnCluster() : await startOwnNats());
  // our own server: the credentials it was configured with; a given one: LOGLENS_NATS_CREDENTIALS, or none (open)
  const credentials = (natsCluster?.security ?? nats?.security)?.credentialsDir(NAMESPACE) ?? env['LOGLENS_NATS_CREDENTIALS'];
  if (credentials) log(`NATS credentials: ${credentials} (namespace ${NAMESPACE}; log shippers use ${path.join(credentials, 'log-producer.nk')})`);
  const as = (principal: string): NodeJS.ProcessEnv => (credentials ? { NATS_NKEY_FILE: path.join(credentials, `${principal}.nk`) } : {});
  const databaseUrl = env['DATABASE_URL'] || (await startOwnPostgres());
  // credentials go to the gateway alone: no other service needs them, and a process's environment is easy to read
  const { API_KEYS: bootstrapKeys, GATEWAY_TOKEN_SECRET: givenSecret, ...rest } = env;
  const tokenSecret = gatewayTokenSecret(dataDir, givenSecret);

  const common: NodeJS.ProcessEnv = {
    ...rest,
    NATS_URL: natsUrl,
    ...(process.stdout.isTTY ? {} : { NO_COLOR: '1' }),
    ...(logPartitions > 1 ? { LOGLENS_LOG_PARTITIONS: String(logPartitions) } : {}),
    // every stream and bucket on three nodes: one node down loses nothing
    ...(CLUSTER ? { LOGLENS_STREAM_REPLICAS: '3' } : {}),
  };
  // a name per instance when there are several (`registry-2`), the app's name when there is one
  const named = (app: string, i: number, of: number) => (of === 1 ? app : `${app}-${i}`);
  for (let i = 1; i <= scale.registries; i++) {
    start(named('registry', i, scale.registries), { ...common, ...as('registry'), DATABASE_URL: databaseUrl, ...(scale.registries > 1 ? { INSTANCE_ID: `registry-${i}` } : {}) }, 'registry');
  }
  for (let i = 1; i <= workers; i++) {
    start(named('inference-worker', i, workers), { ...common, ...as('inference-worker'), INSTANCE_ID: `worker-${i}` }, 'inference-worker');
  }
  for (const agent of ['agent-base', 'agent-wifi']) {
    for (let i = 1; i <= scale.agents; i++) {
      const instance = scale.agents > 1 ? { AGENT_INSTANCES: String(scale.agents), AGENT_INSTANCE_INDEX: String(i - 1), INSTANCE_ID: `${agent}-${i}` } : {};
      start(named(agent, i, scale.agents), { ...common, ...as(agent), ...instance }, agent);
    }
  }
  // the syslog listener is off by default: it opens a port for anyone who can reach this machine
  if (env['SYSLOG_PORT']) start('ingest', { ...common, ...as('ingest'), INGEST_METRICS_PORT: env['INGEST_METRICS_PORT'] ?? '0' });
  const gatewayPorts = Array.from({ length: scale.gateways }, (_, i) => gatewayPort + i);
  gatewayPorts.forEach((port, i) =>
    start(
      named('gateway', i + 1, scale.gateways),
      { ...common, ...as('gateway'), ...(bootstrapKeys ? { API_KEYS: bootstrapKeys } : {}), GATEWAY_TOKEN_SECRET: tokenSecret, GATEWAY_PORT: String(port), ADMIN_DIST: path.join(ws, 'dist/apps/admin/browser') },
      'gateway',
    ),
  );
  writePids();

  // seeding registers and deploys: the operator's credential
  nc = await connect({ ...natsConnectOptions('ops', as('ops')), ...PATIENT_FIRST_CONNECT, servers: natsServers(natsUrl), name: 'loglens-start' });
  const rpc = new RpcClient(nc);
  // the trainer only runs train jobs, which wait in the JOBS work queue until a trainer acks them: it starts on the first
  // one instead of idling from the start (~90 MB); `npm run cluster` keeps it resident, like every service there
  const startTrainer = () => start('trainer', { ...common, ...as('trainer') });
  if (CLUSTER) startTrainer();
  else await startOnFirstTrainJob(nc, startTrainer);
  // API_KEYS given: those are the bootstrap keys (never printed); otherwise the first keys, made once and printed once
  const keys: FirstKeys = bootstrapKeys?.trim() ? { created: [], imported: 0 } : await ensureFirstKeys(rpc, dataDir, log, CLUSTER ? 180_000 : 60_000);
  if (env['LOGLENS_SEED_MODELS'] !== '0') await seedDefaultModels(rpc, log, trainInChildProcess(ws, log));
  // /health/ready names what is missing only to a caller with a key: the viewer key just made, or one of API_KEYS
  const readyKey = keys.created.find((k) => k.role === 'viewer')?.key ?? firstBootstrapKey(bootstrapKeys);
  for (const port of gatewayPorts) await waitReady(port, readyKey, CLUSTER ? 180_000 : 60_000);
  const base = `http://localhost:${gatewayPort}`;
  log(`ready: ${base}  (console /, OpenAPI ${base}/docs, health ${base}/health/ready)`);
  if (CLUSTER) {
    log(`gateways: ${gatewayPorts.map((p) => `http://localhost:${p}`).join(', ')} (same keys, same data)`);
    log(`NATS cluster: ${natsUrl} (streams on 3 nodes); LOGS in ${logPartitions} partitions, split by 2 instances of each agent`);
  }
  if (keys.created.length > 0) {
    log('API keys (shown this once and stored nowhere in plain text: copy them now; manage keys at /api/v1/auth/keys or the console\'s Keys page):');
    for (const { role, key } of keys.created) log(`  ${role} = ${key}`);
  } else {
    log(`API keys: ${bootstrapKeys?.trim() ? 'those in API_KEYS' : 'the ones printed on first start'}, and any made at /api/v1/auth/keys (the console's Keys page)`);
  }
  log(`try: curl -H 'x-api-key: <viewer key>' ${base}/api/v1/models`);
}

function build(): void {
  log('building the services and the console (nx, cached after the first run)…');
  const r = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--projects', [...APPS, 'admin'].join(','), '--output-style', 'static'], {
    cwd: ws,
    stdio: 'inherit',
    env: { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (r.status !== 0) fail('build failed');
}

async function startOwnNats(): Promise<string> {
  if (!findNatsServer()) fail(NATS_INSTALL_HINT);
  // with one nkey credential per service (and the log producer and operator) and the permission table, see nats-security.ts
  nats = await startNatsServer({ dataDir: path.join(dataDir, 'nats'), preferredPort: 4222, onLine: prefixedLog('nats'), secure: { namespaces: [NAMESPACE] }, detached: true });
  log(`started nats-server with JetStream at ${nats.url}`);
  return nats.url;
}

/** `--cluster`: three nats-servers routed to each other, the same credentials; resolves once JetStream has a leader. */
async function startOwnCluster(): Promise<string> {
  if (!findNatsServer()) fail(NATS_INSTALL_HINT);
  natsCluster = await startNatsCluster({ dataDir: path.join(dataDir, 'nats'), namespaces: [NAMESPACE], logPartitions, detached: true, onLine: (node, line) => prefixedLog(`nats-${node}`)(line) });
  const seed = { NATS_NKEY_FILE: natsCluster.security.seedFile(NAMESPACE, 'ops') };
  const probe = await connect({ ...natsConnectOptions('ops', seed), ...PATIENT_FIRST_CONNECT, servers: natsServers(natsCluster.url), name: 'loglens-start-probe' });
  try {
    // the services create their streams at start: wait until the cluster has elected its JetStream meta leader
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await (await probe.jetstreamManager({ checkAPI: false })).getAccountInfo().then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error('the NATS cluster elected no JetStream leader within 60 s');
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await probe.close();
  }
  log(`started a NATS cluster of ${natsCluster.nodes.length} nodes with JetStream at ${natsCluster.url}`);
  return natsCluster.url;
}

async function startOwnPostgres(): Promise<string> {
  const url = new Promise<string>((resolve, reject) => {
    postgres = new ServiceProcess(
      'postgres',
      process.execPath,
      [...POSTGRES_NODE_FLAGS, ...nodeFlags('postgres'), path.join(ws, 'tools/ts-run.mjs'), path.join(ws, 'tools/stack/embedded-postgres.ts'), '--data', path.join(dataDir, 'pgdata'), '--port', '5432'],
      // own process group: a terminal Ctrl-C reaches the services, and the database stops after them
      { cwd: ws, ipc: true, detached: true, onLine: (l) => l.startsWith('READY ') && resolve(l.slice(6).trim()) },
    );
    void postgres.exited.then((code) => reject(new Error(`embedded postgres exited with code ${code}`)));
  });
  const resolved = await url;
  log(`started embedded Postgres (PGlite) at ${resolved}, data in ${path.join(dataDir, 'pgdata')}`);
  return resolved;
}

function start(name: string, childEnv: NodeJS.ProcessEnv, app = name): void {
  const svc = new ServiceProcess(name, process.execPath, [...nodeFlags(app), path.join(ws, 'dist/apps', app, 'main.js')], {
    cwd: ws,
    env: childEnv,
    ipc: true,
  });
  services.push(svc);
  void svc.exited.then((code) => {
    if (stopping) return;
    log(`${name} exited with code ${code}; stopping the stack`);
    void shutdown(1);
  });
}

/**
 * Calls `startIt` once, when a train job is published (a plain subscription sees what JetStream stores) or at once when
 * the JOBS work queue already holds some (queued before this start): JetStream keeps them until the trainer acks them.
 */
async function startOnFirstTrainJob(conn: NatsConnection, startIt: () => void): Promise<void> {
  let started = false;
  const go = (why: string) => {
    if (started || stopping) return;
    started = true;
    sub.unsubscribe();
    log(`starting the trainer (${why})`);
    startIt();
    writePids();
  };
  const sub = conn.subscribe(JobSubjects.trainWork, { callback: () => go('a train job was queued') });
  await conn.flush();
  const queued = await (await conn.jetstreamManager()).streams.info(TrainerStreams.jobs).then(
    (info) => info.state.messages,
    () => 0, // no JOBS stream yet: the registry makes it with the first job, which the subscription sees
  );
  if (queued > 0) go(`${queued} train job(s) queued`);
  else log('the trainer starts with the first train job');
}

async function waitReady(port: number, key: string | undefined, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { headers: key ? { 'x-api-key': key } : {} });
      if (res.status === 200) return;
      const body = (await res.json()) as Partial<ReadinessDto>;
      last = (body.missing ?? (await missingOverNats())).join(', ') || `gateway (HTTP ${res.status})`;
    } catch (e) {
      last = `gateway (${(e as Error).message})`;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`gateway :${port} not ready after ${timeoutMs / 1000} s (missing: ${last}); services keep starting`);
}

/** Without a key the gateway says only "not ready": the services that do not answer a health ping, asked directly. */
async function missingOverNats(): Promise<string[]> {
  if (!nc) return ['(unknown: no NATS connection)'];
  const replies = await scatterGather(nc, HealthSubjects.ping, 400);
  return ['registry', 'inference-worker', 'agent-base', 'agent-wifi'].filter((s) => !replies.some((r) => r.service === s && r.status === 'up'));
}

/** The key of the first `role:key` pair of API_KEYS, if any. */
function firstBootstrapKey(apiKeys: string | undefined): string | undefined {
  const pair = apiKeys?.split(',')[0]?.trim();
  return pair && pair.includes(':') ? pair.slice(pair.indexOf(':') + 1).trim() : undefined;
}

function writePids(): void {
  const pids = {
    launcher: process.pid,
    nats: natsCluster ? natsCluster.nodes.map((n) => n.process?.pid ?? null) : (nats?.process?.pid ?? null),
    postgres: (postgres as ServiceProcess | null)?.child.pid ?? null,
    services: Object.fromEntries(services.map((s) => [s.name, s.child.pid])),
  };
  writeFileSync(path.join(dataDir, 'stack.pids.json'), JSON.stringify(pids, null, 2));
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  await nc?.close().catch(() => undefined);
  // gateway first (no new work), then the services, then the infrastructure they need to finish cleanly
  await Promise.all(services.map((s) => s.stop()));
  await (postgres as ServiceProcess | null)?.stop();
  await nats?.stop();
  await natsCluster?.stop();
  log('stopped');
  process.exit(code);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((e: unknown) => {
  log(`failed: ${e instanceof Error ? e.message : String(e)}`);
  void shutdown(1);
});
