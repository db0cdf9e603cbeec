import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeNatsSecurity, type NatsSecurity, type NatsSecurityOptions } from './nats-security';
import { freePort, waitForPort } from './ports';

export interface NatsHandle {
  url: string;
  /** true when we started the server (and so must stop it) */
  owned: boolean;
  process?: ChildProcess;
  /** present when the server was started with credentials and permissions (`secure`) */
  security?: NatsSecurity;
  stop(): Promise<void>;
}

export const NATS_INSTALL_HINT =
  'nats-server is not installed: on Debian/Ubuntu run `apt-get install -y nats-server`, or set NATS_URL to a running server';

/** Finds the nats-server binary on PATH or in Debian's /usr/sbin. */
export function findNatsServer(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  if (onPath) return onPath;
  for (const candidate of ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server']) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export interface StartNatsOptions {
  /** JetStream store lives here */
  dataDir: string;
  /** tried first; a free port is used when it is taken */
  preferredPort?: number;
  /** receives the server's log lines */
  onLine?: (line: string) => void;
  /**
   * Require credentials: writes the config and one nkey seed per principal and namespace under `dataDir`
   * (see writeNatsSecurity). Without it the server is open, as before.
   */
  secure?: { namespaces: string[]; tls?: NatsSecurityOptions['tls']; logPartitions?: number };
  /**
   * Run the server in its own process group, so a Ctrl-C at the terminal (SIGINT to the foreground group) reaches the
   * services but not the server: the launcher stops the services first and the server last, and no service logs a
   * lost connection on a clean stop.
   */
  detached?: boolean;
}

/** Starts a nats-server with JetStream on 127.0.0.1. */
export async function startNatsServer(options: StartNatsOptions): Promise<NatsHandle> {
  const bin = findNatsServer();
  if (!bin) throw new Error(NATS_INSTALL_HINT);
  const port = await freePort(options.preferredPort ?? 0);
  const storeDir = path.join(options.dataDir, 'jetstream');
  mkdirSync(storeDir, { recursive: true });
  const security = options.secure
    ? writeNatsSecurity({ dir: options.dataDir, namespaces: options.secure.namespaces, port, storeDir, logPartitions: options.secure.logPartitions, ...(options.secure.tls ? { tls: options.secure.tls } : {}) })
    : undefined;
  const args = security ? ['-c', security.configFile] : ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  // ready when this child says it listens: a port probe alone would also succeed on another run's server that took
  // the port between freePort() and the bind (two test runs at once), and both runs would then share one NATS
  let listening: () => void = () => undefined;
  const listens = new Promise<void>((resolve) => (listening = resolve));
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      if (line.includes(`Listening for client connections on`) && line.includes(`:${port}`)) listening();
      options.onLine?.(line);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all([listens, waitForPort(port, 10_000)]),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`nats-server did not say it listens on ${port} within 10 s`)), 10_000))),
      exited.then(() => {
        throw new Error(`nats-server exited during start (port ${port})`);
      }),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    owned: true,
    process: child,
    ...(security ? { security } : {}),
    stop: () => stopChild(child, exited),
  };
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface NatsClusterNode {
  name: string;
  url: string;
  clientPort: number;
  routePort: number;
  process?: ChildProcess;
  stop(): Promise<void>;
}

export interface NatsClusterHandle {
  /** every node's client URL, comma-separated: what NATS_URL takes for a cluster */
  url: string;
  nodes: NatsClusterNode[];
  security: NatsSecurity;
  /** starts a stopped node again with its own ports, store and config */
  restart(index: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A JetStream cluster of `size` nats-servers on loopback (3 by default: RAFT needs a quorum of 2 to keep R3
 * streams writable with one node down), sharing one set of nkey credentials and permissions. Each node keeps its
 * own store under `dataDir/<node>`.
 */
export async function startNatsCluster(options: {
  dataDir: string;
  size?: number;
  namespaces: string[];
  onLine?: (node: string, line: string) => void;
  /** LOGS partitions the agents' permissions are written for (default: LOGLENS_LOG_PARTITIONS) */
  logPartitions?: number;
  /** each node in its own process group (see StartNatsOptions.detached): a Ctrl-C reaches the services, not the nodes */
  detached?: boolean;
}): Promise<NatsClusterHandle> {
  const bin = findNatsServer();
  if (!bin) throw new Error(NATS_INSTALL_HINT);
  const size = options.size ?? 3;
  const ports: Array<{ client: number; route: number }> = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), route: await freePort() });
  let security: NatsSecurity | undefined;
  const configs = ports.map((p, i) => {
    const storeDir = path.join(options.dataDir, `n${i + 1}`, 'jetstream');
    mkdirSync(storeDir, { recursive: true });
    security = writeNatsSecurity({
      dir: options.dataDir,
      namespaces: options.namespaces,
      port: p.client,
      storeDir,
      configName: `n${i + 1}.conf`,
      logPartitions: options.logPartitions,
      cluster: {
        serverName: `n${i + 1}`,
        name: 'loglens',
        port: p.route,
        routes: ports.filter((_, j) => j !== i).map((o) => `nats-route://127.0.0.1:${o.route}`),
      },
    });
    return security.configFile;
  });
  const nodes: NatsClusterNode[] = ports.map((p, i) => ({ name: `n${i + 1}`, url: `nats://127.0.0.1:${p.client}`, clientPort: p.client, routePort: p.route, stop: async () => undefined }));
  const launch = async (i: number): Promise<void> => {
    const child = spawn(bin, ['-c', configs[i]], { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) options.onLine?.(nodes[i].name, line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    nodes[i].process = child;
    nodes[i].stop = () => stopChild(child, exited);
    await waitForPort(nodes[i].clientPort, 10_000);
  };
  await Promise.all(nodes.map((_, i) => launch(i)));
  if (!security) throw new Error('a cluster needs at least one node');
  const sec = security;
  return {
    url: nodes.map((n) => n.url).join(','),
    nodes,
    security: sec,
    restart: (i) => launch(i),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
