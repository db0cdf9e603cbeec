// `npm start`: the whole LogLens stack on one machine. Uses NATS_URL / DATABASE_URL when given, otherwise starts a
// nats-server with JetStream and an embedded Postgres (PGlite) under the data folder, on free ports when the standard
// ones are taken. Then the registry, INFERENCE_WORKERS workers, both agents, the trainer and the gateway, each line
// prefixed with its service's name; the ingest app (syslog input) only when SYSLOG_PORT is set. Ctrl-C stops everything it started.
// Only the gateway gets API_KEYS and the token secret; without API_KEYS the first start makes an admin, an operator
// and a viewer key and prints them once (the registry keeps their hashes; no plain key is written to disk).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { NATS_INSTALL_HINT, findNatsServer, startNatsServer, type NatsHandle } from '@loglens/dev-infra';
import { NAMESPACE } from '@loglens/contracts';
import { RpcClient, natsConnectOptions } from '@loglens/nest-common';
import { findWorkspaceRoot } from '../models/demo-model';
import { ensureFirstKeys, gatewayTokenSecret, type FirstKeys } from './api-keys';
import { seedDefaultModels } from './seed-default-models';
import { ServiceProcess, prefixedLog } from './service-process';

const ws = findWorkspaceRoot();
const env = process.env;
const dataDir = path.resolve(ws, env['LOGLENS_DATA_DIR'] ?? '.loglens');
const gatewayPort = Number(env['GATEWAY_PORT'] ?? 3000);
const workers = Number(env['INFERENCE_WORKERS'] ?? 1);
const APPS = ['registry', 'inference-worker', 'agent-base', 'agent-wifi', 'trainer', 'gateway', 'ingest'];

const log = prefixedLog('loglens');
const services: ServiceProcess[] = [];
let nats: NatsHandle | null = null;
let postgres: ServiceProcess | null = null;
let nc: NatsConnection | null = null;
let stopping = false;

async function main(): Promise<void> {
  if (!Number.isInteger(workers) || workers < 1 || workers > 32) fail(`INFERENCE_WORKERS must be 1..32 (got ${env['INFERENCE_WORKERS']})`);
  mkdirSync(dataDir, { recursive: true });
  if (env['LOGLENS_SKIP_BUILD'] !== '1') build();

  const natsUrl = env['NATS_URL'] || (await startOwnNats());
  // our own server: the credentials it was configured with; a given one: LOGLENS_NATS_CREDENTIALS, or none (open)
  const credentials = nats?.security?.credentialsDir(NAMESPACE) ?? env['LOGLENS_NATS_CREDENTIALS'];
  if (credentials) log(`NATS credentials: ${credentials} (namespace ${NAMESPACE}; log shippers use ${path.join(credentials, 'log-producer.nk')})`);
  const as = (principal: string): NodeJS.ProcessEnv => (credentials ? { NATS_NKEY_FILE: path.join(credentials, `${principal}.nk`) } : {});
  const databaseUrl = env['DATABASE_URL'] || (await startOwnPostgres());
  // credentials go to the gateway alone: no other service needs them, and a process's environment is easy to read
  const { API_KEYS: bootstrapKeys, GATEWAY_TOKEN_SECRET: givenSecret, ...rest } = env;
  const tokenSecret = gatewayTokenSecret(dataDir, givenSecret);

  const common = { ...rest, NATS_URL: natsUrl, ...(process.stdout.isTTY ? {} : { NO_COLOR: '1' }) };
  start('registry', { ...common, ...as('registry'), DATABASE_URL: databaseUrl });
  for (let i = 1; i <= workers; i++) {
    start(workers === 1 ? 'inference-worker' : `inference-worker-${i}`, { ...common, ...as('inference-worker'), INSTANCE_ID: `worker-${i}` }, 'inference-worker');
  }
  start('agent-base', { ...common, ...as('agent-base') });
  start('agent-wifi', { ...common, ...as('agent-wifi') });
  start('trainer', { ...common, ...as('trainer') });
  // the syslog listener is off by default: it opens a port for anyone who can reach this machine
  if (env['SYSLOG_PORT']) start('ingest', { ...common, ...as('ingest'), INGEST_METRICS_PORT: env['INGEST_METRICS_PORT'] ?? '0' });
  start('gateway', { ...common, ...as('gateway'), ...(bootstrapKeys ? { API_KEYS: bootstrapKeys } : {}), GATEWAY_TOKEN_SECRET: tokenSecret, GATEWAY_PORT: String(gatewayPort), ADMIN_DIST: path.join(ws, 'dist/apps/admin/browser') });
  writePids();

  // seeding registers and deploys: the operator's credential
  nc = await connect({ ...natsConnectOptions('ops', as('ops')), servers: natsUrl, name: 'loglens-start' });
  const rpc = new RpcClient(nc);
  // API_KEYS given: those are the bootstrap keys (never printed); otherwise the first keys, made once and printed once
  const keys: FirstKeys = bootstrapKeys?.trim() ? { created: [], imported: 0 } : await ensureFirstKeys(rpc, dataDir, log);
  if (env['LOGLENS_SEED_MODELS'] !== '0') await seedDefaultModels(rpc, log);
  await waitReady();
  const base = `http://localhost:${gatewayPort}`;
  log(`ready: ${base}  (console /, OpenAPI ${base}/docs, health ${base}/health/ready)`);
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
  nats = await startNatsServer({ dataDir: path.join(dataDir, 'nats'), preferredPort: 4222, onLine: prefixedLog('nats'), secure: { namespaces: [NAMESPACE] } });
  log(`started nats-server with JetStream at ${nats.url}`);
  return nats.url;
}

async function startOwnPostgres(): Promise<string> {
  const url = new Promise<string>((resolve, reject) => {
    postgres = new ServiceProcess(
      'postgres',
      process.execPath,
      [path.join(ws, 'tools/ts-run.mjs'), path.join(ws, 'tools/stack/embedded-postgres.ts'), '--data', path.join(dataDir, 'pgdata'), '--port', '5432'],
      { cwd: ws, ipc: true, onLine: (l) => l.startsWith('READY ') && resolve(l.slice(6).trim()) },
    );
    void postgres.exited.then((code) => reject(new Error(`embedded postgres exited with code ${code}`)));
  });
  const resolved = await url;
  log(`started embedded Postgres (PGlite) at ${resolved}, data in ${path.join(dataDir, 'pgdata')}`);
  return resolved;
}

function start(name: string, childEnv: NodeJS.ProcessEnv, app = name): void {
  const svc = new ServiceProcess(name, process.execPath, ['--enable-source-maps', path.join(ws, 'dist/apps', app, 'main.js')], {
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

async function waitReady(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${gatewayPort}/health/ready`);
      if (res.status === 200) return;
      last = JSON.stringify(((await res.json()) as { missing?: string[] }).missing);
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`not ready after ${timeoutMs / 1000} s (missing: ${last}); services keep starting`);
}

function writePids(): void {
  const pids = {
    launcher: process.pid,
    nats: nats?.process?.pid ?? null,
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
