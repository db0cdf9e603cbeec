// Shared measurement for the benches: closed-loop load with CPU accounting per process, the HTTP client, the
// results table and the machine description. Every scenario (tools/bench/*.ts) reports through these, so their rows
// read the same.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { processCpuUs, workspaceRoot } from '@loglens/testing';

const root = workspaceRoot();
export const QUICK = process.argv.includes('--quick');
/** measured window per cell, after a warm-up of WARMUP_MS */
export const CELL_MS = Math.min(
  10_000,
  Number(process.env['BENCH_CELL_MS'] ?? (QUICK ? 1000 : 2000)) || 2000,
);
export const WARMUP_MS = QUICK ? 300 : 500;
/** a cell never issues more requests than this, however fast it runs */
export const CELL_MAX_REQUESTS = 200_000;
export const REQUEST_TIMEOUT_MS = 10_000;

export interface CellResult {
  /** CPU time per completed request in the measured window, µs, by process (from /proc/<pid>/stat) */
  cpuUs?: Record<string, number>;
  requests: number;
  failed: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  firstError?: string;
  /** means of the worker's own timings from the replies, when the replies carry them */
  queueMs?: number;
  computeMs?: number;
}

/** processes whose CPU a cell accounts, by the label the table shows */
export type Pids = Record<string, number | undefined>;

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Closed-loop load: `concurrency` callers, each sending its next request when the previous one is answered. A warm-up
 * (not counted) precedes the measured window; requests started inside the window count. Bounded by time and count.
 */
export async function runLoad<T>(
  concurrency: number,
  send: () => Promise<T>,
  opts: {
    warmupMs?: number;
    durationMs?: number;
    maxRequests?: number;
    until?: Promise<unknown>;
    onReply?: (r: T) => void;
    pids?: Pids;
  } = {},
): Promise<CellResult> {
  const warmupMs = opts.warmupMs ?? WARMUP_MS;
  const durationMs = opts.durationMs ?? CELL_MS;
  const maxRequests = opts.maxRequests ?? CELL_MAX_REQUESTS;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  let measureTo = measureFrom + durationMs;
  let stop = false;
  if (opts.until)
    void opts.until.finally(() => ((measureTo = Math.min(measureTo, performance.now())), (stop = true)));
  const latencies = new Float64Array(maxRequests);
  let n = 0;
  let issued = 0;
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    for (;;) {
      const start = performance.now();
      if (stop || start >= measureTo || issued >= maxRequests) return;
      const counted = start >= measureFrom;
      if (counted) issued++;
      try {
        const reply = await send();
        if (counted) {
          latencies[n++] = performance.now() - start;
          opts.onReply?.(reply);
        }
      } catch (e) {
        if (counted) {
          failed++;
          firstError ??= (e as Error).message;
        }
      }
    }
  };
  const pids = Object.entries(opts.pids ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number');
  let cpuFrom: number[] = [];
  let cpuTo: number[] = [];
  let nAtStart = 0;
  let nAtEnd = -1;
  const timers = pids.length
    ? [
        setTimeout(() => ((cpuFrom = pids.map(([, pid]) => processCpuUs(pid))), (nAtStart = n)), warmupMs),
        setTimeout(
          () => ((cpuTo = pids.map(([, pid]) => processCpuUs(pid))), (nAtEnd = n)),
          warmupMs + durationMs,
        ),
      ]
    : [];
  await Promise.all(Array.from({ length: concurrency }, worker));
  timers.forEach(clearTimeout);
  // the callers may stop a moment before the closing snapshot's timer fires
  if (cpuFrom.length && !cpuTo.length) {
    cpuTo = pids.map(([, pid]) => processCpuUs(pid));
    nAtEnd = n;
  }
  const seconds = (Math.min(measureTo, performance.now()) - measureFrom) / 1000;
  const sorted = latencies.slice(0, n).sort();
  const cpuUs =
    cpuFrom.length && cpuTo.length && nAtEnd > nAtStart
      ? Object.fromEntries(pids.map(([label], i) => [label, (cpuTo[i] - cpuFrom[i]) / (nAtEnd - nAtStart)]))
      : undefined;
  return {
    requests: n,
    failed,
    seconds,
    rps: n / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    firstError,
    cpuUs,
  };
}

export function withWorkerTimings(
  r: CellResult,
  timings: Array<{ queueMs: number; computeMs: number }>,
): CellResult {
  if (timings.length === 0) return r;
  const mean = (k: 'queueMs' | 'computeMs') => timings.reduce((s, t) => s + t[k], 0) / timings.length;
  return { ...r, queueMs: mean('queueMs'), computeMs: mean('computeMs') };
}

export function httpPost(
  agent: Agent,
  port: number,
  pathname: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200)
            return reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          try {
            resolve(JSON.parse(text));
          } catch (e) {
            reject(e as Error);
          }
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`no HTTP answer within ${REQUEST_TIMEOUT_MS} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface Row {
  scenario: string;
  model: string;
  batching: string;
  c: number | string;
  r: CellResult;
  /** rows per request (runs/s × batch = rows/s) */
  rowsPerRequest?: number;
  echo?: CellResult;
  note?: string;
}

export const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n)
    ? '–'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ms = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '–' : n < 1 ? n.toFixed(3) : n < 10 ? n.toFixed(2) : n.toFixed(1);
export const cpu = (c: Record<string, number> | undefined) =>
  c
    ? Object.entries(c)
        .map(([k, v]) => `${k} ${v < 10 ? v.toFixed(1) : v.toFixed(0)}`)
        .join(' · ')
    : '';

export function table(rows: Row[]): string {
  const head =
    '| Scenario | Model | Batching | Conc. | Requests/s | Rows/s | p50 ms | p99 ms | × bare echo (paired) | Failed | CPU µs per request | Notes |';
  const sep = '|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|';
  const lines = rows.map((x) => {
    const ratio = x.echo ? (x.r.rps / x.echo.rps).toFixed(2) : '';
    const timings =
      x.r.computeMs !== undefined
        ? `worker: queue ${ms(x.r.queueMs)} ms, compute ${ms(x.r.computeMs)} ms`
        : '';
    const note = [x.note, timings, x.r.failed ? `first error: ${x.r.firstError?.slice(0, 80)}` : '']
      .filter(Boolean)
      .join('; ');
    return `| ${x.scenario} | ${x.model} | ${x.batching} | ${x.c} | ${fmt(x.r.rps)} | ${fmt(x.r.rps * (x.rowsPerRequest ?? 1))} | ${ms(x.r.p50)} | ${ms(x.r.p99)} | ${ratio} | ${x.r.failed} | ${cpu(x.r.cpuUs)} | ${note} |`;
  });
  return [head, sep, ...lines].join('\n');
}

export function machine(): Record<string, string> {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(os.availableParallelism());
  const natsVersion =
    spawnSync('sh', ['-c', 'nats-server --version 2>/dev/null || /usr/sbin/nats-server --version'], {
      encoding: 'utf8',
    }).stdout?.trim() || 'unknown';
  const pkg = (name: string) => {
    try {
      return (
        JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    } catch {
      return '?';
    }
  };
  return {
    CPU: `${model} (nproc ${nproc})`,
    RAM: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()}`,
    Node: process.version,
    'onnxruntime-node': pkg('onnxruntime-node'),
    'nats (client) / nats-server': `${pkg('nats')} / ${natsVersion.replace(/^nats-server:\s*/, '')}`,
  };
}

/** a measured cell that must exist by now */
export function cell<K>(map: Map<K, CellResult>, key: K): CellResult {
  const r = map.get(key);
  if (!r) throw new Error(`no measurement for ${String(key)}`);
  return r;
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
