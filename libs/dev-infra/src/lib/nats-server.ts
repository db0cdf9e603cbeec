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
  secure?: { namespaces: string[]; tls?: NatsSecurityOptions['tls'] };
}

/** Starts a nats-server with JetStream on 127.0.0.1. */
export async function startNatsServer(options: StartNatsOptions): Promise<NatsHandle> {
  const bin = findNatsServer();
  if (!bin) throw new Error(NATS_INSTALL_HINT);
  const port = await freePort(options.preferredPort ?? 0);
  const storeDir = path.join(options.dataDir, 'jetstream');
  mkdirSync(storeDir, { recursive: true });
  const security = options.secure
    ? writeNatsSecurity({ dir: options.dataDir, namespaces: options.secure.namespaces, port, storeDir, ...(options.secure.tls ? { tls: options.secure.tls } : {}) })
    : undefined;
  const args = security ? ['-c', security.configFile] : ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) options.onLine?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForPort(port, 10_000),
      exited.then(() => {
        throw new Error(`nats-server exited during start (port ${port})`);
      }),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
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
