// The processes of the inference benchmark: the echo and HTTP baseline processes, the LogLens services (the built
// dist/apps/*/main.js, started as the integration specs start them), each tracked so a failed or interrupted run kills them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import { spawnService, type RunningService } from '@loglens/testing';
import { workspaceRoot } from '@loglens/testing/workspace';
import { ECHO_SUBJECT } from './bench-models';

export const root = workspaceRoot();
/** every child process and service this run started, still running */
export const children: ChildProcess[] = [];
export const services: RunningService[] = [];

/**
 * Starts `node <script> …args` (tracked), and resolves with the port of the `{"ready":true,"<portKey>":N}` line it
 * prints once listening; rejects naming `what` when it exits first or stays silent for 10 s.
 */
function startReadyChild(
  script: string,
  args: string[],
  portKey: string,
  what: string,
): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(root, script), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const ready = new RegExp(`\\{"ready":true,"${portKey}":(\\d+)\\}`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), 10_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), child });
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}):\n${out}`)));
  });
}

/** tools/bench/transport-echo.mjs: answers ECHO_SUBJECT over NATS and POST / over HTTP with the request's own bytes. */
export async function startEcho(natsUrl: string): Promise<{ httpPort: number; child: ChildProcess }> {
  const { port, child } = await startReadyChild(
    'tools/bench/transport-echo.mjs',
    [natsUrl, ECHO_SUBJECT],
    'httpPort',
    'the echo process',
  );
  return { httpPort: port, child };
}

/** One server of tools/bench/http-baselines.mjs (a bare Fastify echo, or the bare relay to the echo process). */
export function startBaseline(
  natsUrl: string,
  which: 'fastify' | 'relay',
): Promise<{ port: number; child: ChildProcess }> {
  return startReadyChild(
    'tools/bench/http-baselines.mjs',
    [natsUrl, ECHO_SUBJECT, which],
    'port',
    `the ${which} baseline`,
  );
}

export async function spawnTracked(
  app: string,
  nc: NatsConnection,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): Promise<RunningService> {
  const s = await spawnService(app, nc, env, { readyTimeoutMs: 60_000, nodeArgs });
  services.push(s);
  return s;
}

export async function stopService(s: RunningService | undefined): Promise<void> {
  if (!s) return;
  if (!services.includes(s)) return; // stopped already
  await s.stop();
  services.splice(services.indexOf(s), 1);
}

export function ensureBuilt(): void {
  const missing = ['registry', 'inference-worker', 'gateway'].filter(
    (a) => !existsSync(path.join(root, 'dist/apps', a, 'main.js')),
  );
  if (missing.length === 0) return;
  console.error(`[bench] building ${missing.join(', ')} (dist is missing)`);
  const r = spawnSync(
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'build',
      '--projects=registry,inference-worker,gateway',
      '--output-style=static',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error('building the services failed');
}

export function exitOf(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export function killAll(): void {
  for (const s of services) s.process.kill('SIGKILL');
  for (const c of children) c.kill('SIGKILL');
}
