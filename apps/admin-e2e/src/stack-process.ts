import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@loglens/dev-infra';
import { workspaceRoot } from '@loglens/testing';

/**
 * `npm start` as a user runs it (already built), on a free port and a throw-away data folder. A copy of the
 * gateway-e2e class: one app never imports another.
 */
export class StackProcess {
  private out = '';
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'loglens-admin-e2e-'));
  port = 0;

  async start(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<void> {
    this.port = await freePort();
    const ws = workspaceRoot();
    const child = spawn(
      process.execPath,
      [path.join(ws, 'tools/ts-run.mjs'), path.join(ws, 'tools/stack/start.ts')],
      {
        cwd: ws,
        env: {
          ...env,
          GATEWAY_PORT: String(this.port),
          LOGLENS_DATA_DIR: this.dataDir,
          LOGLENS_SKIP_BUILD: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout?.on('data', (c: Buffer) => (this.out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.out += c.toString()));
    const deadline = Date.now() + timeoutMs;
    while (!/loglens\s+\| try: curl/.test(this.out)) {
      if (child.exitCode !== null) throw new Error(`the stack exited during start:\n${this.out}`);
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

  /** Ctrl-C: SIGINT to the launcher, as a terminal sends it. */
  async interrupt(): Promise<number | null> {
    const child = this.child;
    if (!child || !this.exited || child.exitCode !== null) return child?.exitCode ?? null;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
