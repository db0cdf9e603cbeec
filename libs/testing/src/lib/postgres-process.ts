import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workspaceRoot } from './workspace';

export interface PostgresProcess {
  url: string;
  /** the Node process that hosts PGlite (for CPU accounting and pinning) */
  process: ChildProcess;
  /** what the process printed so far */
  output(): string;
  /** SIGTERM, SIGKILL after 10 s; resolves with the exit code */
  stop(): Promise<number | null>;
}

/**
 * The embedded Postgres (PGlite over the wire protocol) in a process of its own, as `npm start` runs it
 * (tools/stack/embedded-postgres.ts; an empty `dataDir` is initialised first). Benches and chaos runs use it rather
 * than `startEmbeddedPostgres` in their own process: PGlite runs its queries on the event loop of the process that
 * hosts it, so in the load generator's process every registry write would stall the callers it measures.
 * `port` 0 (the default) takes a free port. Without a `dataDir` it keeps its data in a temporary folder of its own,
 * removed once it has stopped.
 */
export function spawnEmbeddedPostgres(dataDir?: string, port = 0): Promise<PostgresProcess> {
  const ws = workspaceRoot();
  const scratch = dataDir === undefined ? mkdtempSync(path.join(os.tmpdir(), 'loglens-pg-')) : undefined;
  const data = scratch ? path.join(scratch, 'pgdata') : (dataDir as string);
  const child = spawn(process.execPath, [path.join(ws, 'tools/ts-run.mjs'), path.join(ws, 'tools/stack/embedded-postgres.ts'), '--data', data, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      const ready = /READY (\S+)/.exec(out);
      if (ready) resolve({ url: ready[1], process: child, output: () => out, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`the embedded Postgres exited (${code}) before it was ready:\n${out}`)));
  });
}
