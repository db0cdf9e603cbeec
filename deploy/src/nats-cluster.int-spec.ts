import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, nkeyAuthenticator, StorageType, type NatsConnection } from 'nats';
import { parseAllDocuments } from 'yaml';
import { findNatsServer, freePort, stopChild } from '@loglens/dev-infra';
import { waitFor } from '@loglens/testing';

// The NATS servers of the Kubernetes overlays, run for real: the production overlay is rendered with kubectl
// kustomize (secrets from `npm run k8s:secrets`), its nats-config and nats-auth ConfigMaps are written out as the pods
// mount them (/etc/nats/config, /etc/nats/auth), and three nats-servers start from them with only the addresses moved
// to free loopback ports (pod DNS names cannot resolve here). Kubernetes itself is not involved.
const root = path.resolve(__dirname, '../..');
const kubectl = process.env['KUBECTL'] || 'kubectl';

interface ConfigMap {
  kind: string;
  metadata: { name: string };
  data: Record<string, string>;
}

function render(tmp: string, overlay: string): ConfigMap[] {
  const dir = path.join(tmp, 'k8s/overlays', overlay);
  const secrets = spawnSync('node', ['tools/ts-run.mjs', 'deploy/src/k8s-secrets.ts', dir, '--quiet'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (secrets.status !== 0) throw new Error(`k8s:secrets failed: ${secrets.stderr}`);
  const out = spawnSync(kubectl, ['kustomize', dir], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.error)
    throw new Error(
      `${kubectl} not runnable (${out.error.message}): apt-get install -y kubernetes-client, or set KUBECTL`,
    );
  if (out.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed: ${out.stderr}`);
  return parseAllDocuments(out.stdout)
    .map((d) => d.toJS() as ConfigMap)
    .filter((o) => o?.kind === 'ConfigMap');
}

/** Applies every replacement in whichever file holds it; each must be found somewhere (or the spec is stale). */
function moved(files: Record<string, string>, replacements: Array<[string, string]>): Record<string, string> {
  const out = { ...files };
  for (const [from, to] of replacements) {
    const holders = Object.keys(out).filter((k) => out[k].includes(from));
    if (holders.length === 0)
      throw new Error(`the NATS config no longer contains ${JSON.stringify(from)}: update this spec`);
    for (const k of holders) out[k] = out[k].split(from).join(to);
  }
  return out;
}

interface Server {
  name: string;
  client: number;
  monitor: number;
  child: ChildProcess;
  exited: Promise<void>;
}

describe('NATS of the Kubernetes overlays, started from the rendered ConfigMaps', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loglens-k8s-nats-'));
  const servers: Server[] = [];
  const connections: NatsConnection[] = [];
  let production: ConfigMap[] = [];
  let seedDir = '';

  beforeAll(() => {
    cpSync(path.join(root, 'deploy/k8s'), path.join(tmp, 'k8s'), {
      recursive: true,
      filter: (src) => !/[\\/]overlays[\\/][^\\/]+[\\/]secrets$/.test(src),
    });
    production = render(tmp, 'production');
    seedDir = path.join(tmp, 'k8s/overlays/production/secrets/nats/credentials/loglens');
  }, 120_000);

  afterAll(async () => {
    for (const nc of connections) await nc.close().catch(() => undefined);
    for (const s of servers) await stopChild(s.child, s.exited);
    rmSync(tmp, { recursive: true, force: true });
  });

  const configMap = (maps: ConfigMap[], prefix: string) => {
    const found = maps.find((m) => m.metadata.name.startsWith(`${prefix}-`));
    if (!found) throw new Error(`no ConfigMap ${prefix}-* rendered`);
    return found.data;
  };

  async function startServer(
    name: string,
    configData: Record<string, string>,
    auth: string,
    replacements: Array<[string, string]>,
  ): Promise<Server> {
    const base = path.join(tmp, name);
    mkdirSync(path.join(base, 'config'), { recursive: true });
    mkdirSync(path.join(base, 'auth'), { recursive: true });
    mkdirSync(path.join(base, 'run'), { recursive: true });
    const files = moved(configData, [
      ['pid_file: /var/run/nats/nats.pid', `pid_file: ${JSON.stringify(path.join(base, 'run/nats.pid'))}`],
      ['store_dir: /data', `store_dir: ${JSON.stringify(path.join(base, 'data'))}`],
      ...replacements,
    ]);
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(base, 'config', file), text);
    writeFileSync(path.join(base, 'auth/auth.conf'), auth);
    const bin = findNatsServer();
    if (!bin) throw new Error('nats-server is not installed');
    // POD_NAME: the server name, as the StatefulSet's downward API sets it
    const child = spawn(bin, ['--config', path.join(base, 'config/nats.conf')], {
      env: { ...process.env, POD_NAME: name },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const monitor = Number(/http: 127\.0\.0\.1:(\d+)/.exec(files['nats.conf'])?.[1]);
    const client = Number(/listen: 127\.0\.0\.1:(\d+)/.exec(files['nats.conf'])?.[1]);
    const server = { name, client, monitor, child, exited };
    servers.push(server);
    return server;
  }

  /** `/healthz?js-enabled-only=true`, the StatefulSet's liveness probe, answering 200. */
  async function healthy(server: Server): Promise<void> {
    await waitFor(`${server.name} healthy`, async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${server.monitor}/healthz?js-enabled-only=true`);
        return res.ok ? true : undefined;
      } catch {
        return undefined;
      }
    });
  }

  async function connectAs(principal: string, server: Server): Promise<NatsConnection> {
    const seed = readFileSync(path.join(seedDir, `${principal}.nk`), 'utf8').trim();
    const nc = await connect({
      servers: [`127.0.0.1:${server.client}`],
      authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
      inboxPrefix: `_INBOX_loglens_${principal}`,
    });
    connections.push(nc);
    return nc;
  }

  it('forms a 3-server JetStream cluster where a stream goes from 1 to 3 replicas (as the stream job does) and every key keeps to its permissions', async () => {
    const ports = await Promise.all(
      [0, 1, 2].map(async () => ({
        client: await freePort(),
        cluster: await freePort(),
        monitor: await freePort(),
      })),
    );
    const config = configMap(production, 'nats-config');
    const auth = configMap(production, 'nats-auth')['auth.conf'];
    const replacements = (i: number): Array<[string, string]> => [
      ['listen: 0.0.0.0:4222', `listen: 127.0.0.1:${ports[i].client}`],
      ['http: 0.0.0.0:8222', `http: 127.0.0.1:${ports[i].monitor}`],
      ['listen: 0.0.0.0:6222', `listen: 127.0.0.1:${ports[i].cluster}`],
      ...[0, 1, 2].map((j): [string, string] => [
        `nats-${j}.nats-headless:6222`,
        `127.0.0.1:${ports[j].cluster}`,
      ]),
    ];
    const cluster = await Promise.all(
      [0, 1, 2].map((i) => startServer(`nats-${i}`, config, auth, replacements(i))),
    );
    for (const s of cluster) await healthy(s);

    const ops = await connectAs('ops', cluster[0]);
    // no account-info probe: the cluster may not have elected its meta leader yet (the add below waits for it)
    const jsm = await ops.jetstreamManager({ checkAPI: false });
    // JetStream's meta group needs its leader before it takes a stream
    const created = await waitFor('a stream created on the cluster', async () => {
      try {
        return await jsm.streams.add({
          name: 'loglens-LOGS',
          subjects: ['loglens.logs.>'],
          storage: StorageType.File,
        });
      } catch {
        return undefined;
      }
    });
    expect(created.config.num_replicas).toBe(1);
    const raised = await jsm.streams.update('loglens-LOGS', { ...created.config, num_replicas: 3 });
    expect(raised.config.num_replicas).toBe(3);
    const members = await waitFor('3 current replicas', async () => {
      const info = await jsm.streams.info('loglens-LOGS');
      const names = [
        info.cluster?.leader,
        ...(info.cluster?.replicas ?? []).filter((r) => r.current).map((r) => r.name),
      ].filter(Boolean);
      return names.length === 3 ? names.sort() : undefined;
    });
    expect(members).toEqual(['nats-0', 'nats-1', 'nats-2']);

    // a service's nkey works on another server of the cluster, within its permissions only
    const agent = await connectAs('agent-base', cluster[2]);
    const info = await (await agent.jetstreamManager()).streams.info('loglens-LOGS');
    expect(info.config.name).toBe('loglens-LOGS');
    const denied: string[] = [];
    void (async () => {
      for await (const s of agent.status())
        if (s.type === 'error')
          denied.push(
            `${String(s.data)} ${s.permissionContext?.operation ?? ''} ${s.permissionContext?.subject ?? ''}`,
          );
    })();
    agent.publish('loglens.registry.version.deploy.v1', new Uint8Array());
    await agent.flush();
    const violation = await waitFor('the permission violation', () =>
      denied.find((d) => d.startsWith('PERMISSIONS_VIOLATION')),
    );
    expect(violation).toBe('PERMISSIONS_VIOLATION publish loglens.registry.version.deploy.v1');

    // and no one gets in without a key
    await expect(connect({ servers: [`127.0.0.1:${cluster[1].client}`], reconnect: false })).rejects.toThrow(
      /authorization/i,
    );
  }, 180_000);

  it('runs the dev overlay as one server with JetStream and no cluster', async () => {
    const dev = render(tmp, 'dev');
    const config = configMap(dev, 'nats-config');
    expect(config['cluster.conf']).not.toContain('routes');
    expect(config['jetstream.conf']).toContain('max_file_store: 1536MB');
    const [client, monitor] = [await freePort(), await freePort()];
    const single = await startServer('nats-dev-0', config, configMap(dev, 'nats-auth')['auth.conf'], [
      ['listen: 0.0.0.0:4222', `listen: 127.0.0.1:${client}`],
      ['http: 0.0.0.0:8222', `http: 127.0.0.1:${monitor}`],
    ]);
    await healthy(single);
    const seed = readFileSync(
      path.join(tmp, 'k8s/overlays/dev/secrets/nats/credentials/loglens/registry.nk'),
      'utf8',
    ).trim();
    const nc = await connect({
      servers: [`127.0.0.1:${client}`],
      authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
      inboxPrefix: '_INBOX_loglens_registry',
    });
    connections.push(nc);
    const account = await (await nc.jetstreamManager()).getAccountInfo();
    expect(account.limits).toBeDefined();
  }, 120_000);
});
