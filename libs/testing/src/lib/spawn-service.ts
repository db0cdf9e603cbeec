import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NatsConnection } from 'nats';
import { HealthSubjects, inNamespace } from '@loglens/contracts';
import { scatterGather } from '@loglens/nest-common';
import { natsCredentialEnv } from './nats';
import { workspaceRoot } from './workspace';

export interface RunningService {
  name: string;
  instanceId: string;
  process: ChildProcess;
  /** everything the service printed, for assertions and for failure messages */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a built service (`dist/apps/<app>/main.js`, as `npm start` runs it) and resolves once it answers the
 * health scatter-gather as `up`. Specs use real processes so they test what ships.
 */
export async function spawnService(
  app: string,
  nc: NatsConnection,
  env: NodeJS.ProcessEnv,
  options: {
    instanceId?: string;
    readyTimeoutMs?: number;
    /** node flags, e.g. --cpu-prof */
    nodeArgs?: string[];
    /** LOGLENS_NAMESPACE of the service (its health ping is asked there); `nc` must be allowed to publish in it */
    namespace?: string;
  } = {},
): Promise<RunningService> {
  const main = path.join(workspaceRoot(), 'dist/apps', app, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nx run-many -t build)`);
  const instanceId = options.instanceId ?? `${app}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  // LOGLENS_NODE_FLAGS, as `npm start` reads it: Node flags for every service (e.g. to bench a flag npm start gives them)
  const envFlags = process.env['LOGLENS_NODE_FLAGS']?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...envFlags, ...(options.nodeArgs ?? []), main], {
    // its own NATS credential when the setup's server requires them (a spec may pass another in `env`)
    env: {
      ...process.env,
      ...natsCredentialEnv(app),
      ...env,
      ...(options.namespace ? { LOGLENS_NAMESPACE: options.namespace } : {}),
      INSTANCE_ID: instanceId,
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${app} exited with code ${child.exitCode} during start:\n${out}`);
    if (await answersUp(nc, app, instanceId, options.namespace)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${app} did not report healthy in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name: app,
    instanceId,
    process: child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

async function answersUp(nc: NatsConnection, service: string, instanceId: string, namespace?: string): Promise<boolean> {
  const ping = namespace ? inNamespace(HealthSubjects.ping, namespace) : HealthSubjects.ping;
  const replies = await scatterGather(nc, ping, 150);
  return replies.some((r) => r.service === service && r.instanceId === instanceId && r.status === 'up');
}
