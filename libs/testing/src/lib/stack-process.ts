import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@loglens/dev-infra';
import { workspaceRoot } from './workspace';

export interface StackPids {
  launcher: number;
  nats: number | null;
  postgres: number | null;
  services: Record<string, number>;
}

/** `npm start` as a user runs it (already built), on a free port and a throw-away data folder. */
export class StackProcess {
  private out = '';
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'loglens-stack-'));
  port = 0;

  // the first start of a fresh data dir trains the default models: 4 min covers it on a loaded 2-core machine
  async start(env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<void> {
    this.port = await freePort();
    const ws = workspaceRoot();
    const child = spawn(process.execPath, [path.join(ws, 'tools/ts-run.mjs'), path.join(ws, 'tools/stack/start.ts')], {
      cwd: ws,
      env: { ...env, GATEWAY_PORT: String(this.port), LOGLENS_DATA_DIR: this.dataDir, LOGLENS_SKIP_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child.stdout?.on('data', (c: Buffer) => (this.out += c.toString()));
    this.child.stderr?.on('data', (c: Buffer) => (this.out += c.toString()));
    const deadline = Date.now() + timeoutMs;
    while (!/loglens\s+\| try: curl/.test(this.out)) {
      if (this.child.exitCode !== null) throw new Error(`the stack exited during start:\n${this.out}`);
      if (Date.now() > deadline) throw new Error(`the stack was not ready in time:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  output(): string {
    return this.out;
  }

  /** A key the launcher printed (generated keys) for a role. */
  printedKey(role: 'viewer' | 'operator' | 'admin'): string {
    const m = new RegExp(`\\|\\s+${role} = (\\S+)`).exec(this.out);
    if (!m) throw new Error(`no ${role} key in the output:\n${this.out}`);
    return m[1];
  }

  /** The folder of the stack's NATS credentials (`<principal>.nk`), when its NATS requires them. */
  natsCredentialsDir(): string | undefined {
    return /NATS credentials: (\S+)/.exec(this.out)?.[1];
  }

  pids(): StackPids {
    return JSON.parse(readFileSync(path.join(this.dataDir, 'stack.pids.json'), 'utf8')) as StackPids;
  }

  /** Ctrl-C: SIGINT to the launcher, as a terminal sends it. */
  async interrupt(): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 30_000);
    const code = await (this.exited ?? Promise.resolve(this.child.exitCode));
    clearTimeout(timer);
    return code;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
