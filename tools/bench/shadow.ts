// Shadow traffic at 100 % against the same traffic without it (issue 13: "the caller's p99 within 10 % of the same run
// without shadow, one bench run, side by side"). One worker serves two identical models: `bench-plain` (no experiment)
// and `bench-shadow` (a shadow experiment at 100 %, its candidate the same graph with another bias). A round measures
// both, interleaved ABBA (plain, shadow, shadow, plain: a steady drift of the shared machine's speed cancels out), in
// two modes:
//   - closed loop: C callers, each sends the next request when the last is answered — throughput and the caller's p99;
//   - open loop: requests sent on a fixed schedule at OPEN_SHARE of the closed-loop plain throughput measured in the
//     warm-up, latency taken from the scheduled send time (no coordinated omission) — the caller's p99.
// Each closed-loop cell also reads the worker process's CPU (all its threads, onnxruntime's included) over the measured
// window: CPU per answered request is what the shadow copies cost, and unlike throughput and p99 it hardly moves
// with the rest of a shared machine's load. Reports per round and the median and range of the shadow/plain ratios, the
// p99 of each kind over every request of the run (pooled: one stall decides a 2-second cell's p99), the shadow arm's counts from the experiment's
// report (copies scored, dropped by the full shadow queue, agreement) and the worker's shadow-queue counters.
// Each closed-loop cell also reads the registry's and Postgres's CPU per request: a running experiment's workers send
// their per-arm counts every second, and the registry adds them into Postgres.
// Services are the built dist/apps/*/main.js (build registry and inference-worker first); Postgres is DATABASE_URL's
// or the embedded one in a process of its own (never in this process: PGlite runs its queries on the event loop of
// its host, which here is the callers').
// The shadow copies are scored by a shadow pool: a second worker process started with WORKER_POOL=shadow (nice 19),
// which takes its copy of each predict request from NATS (its own queue group), as docs/experiments.md recommends;
// --no-pool scores them in the serving worker itself (SHADOW_SCORING=local).
// Where the processes run (--layout; CPU affinity set with taskset once everything has started; plain and shadow
// cells share the layout, so a shadow cell adds only what the shadow costs the cores it names):
//   pool-core (default): the pool alone on the last core, as in production where it has pods or nodes of its own
//     (docs/experiments.md); the callers, nats-server, the registry and the serving worker on the others — the
//     serving cores pay for nats-server delivering each request twice and for the worker's shadow draw;
//   infra-core: the callers and the serving worker on every core but the last; nats-server, the registry and the pool
//     (nice 19, behind NATS) on the last — as in production where NATS has nodes of its own: the serving cores pay
//     only for the worker's shadow draw;
//   shared: every process on every core (the pool competes with the callers, the serving worker and NATS).
// Usage: npm run bench:shadow [-- --rounds N] [--concurrency N] [--no-open] [--no-pool] [--layout pool-core|infra-core|shared] [--cpu-prof DIR]   (about 3 minutes)
// --cpu-prof DIR: the serving worker runs under node --cpu-prof and writes its V8 CPU profile to DIR when it stops,
// the shadow pool to DIR/pool.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { HealthSubjects, InferenceSubjects, RegistrySubjects, type PredictRequest } from '@loglens/contracts';
import { startNatsServer, type NatsHandle } from '@loglens/dev-infra';
import { RpcClient, scatterGather } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { deployServedVersion, processCpuUs, registerVersion, spawnEmbeddedPostgres, spawnService, uniqueSchema, waitFor, type PostgresProcess, type RunningService } from '@loglens/testing';
import { createRng } from '@loglens/training';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Math.max(1, Number(process.argv[i + 1]) || fallback) : fallback;
};
const C = arg('--concurrency', 32);
const ROUNDS = arg('--rounds', 7);
const CELL_MS = 2000;
const WARMUP_MS = 400;
/** the open loop's rate, as a share of the plain model's closed-loop throughput */
const OPEN_SHARE = 0.3;
/** --no-open: closed-loop cells only (a CPU profile of the closed loop alone) */
const OPEN = !process.argv.includes('--no-open');
/** --no-pool: no shadow pool; the serving worker scores its shadow copies itself */
const POOL = !process.argv.includes('--no-pool');
const LAYOUTS = ['pool-core', 'infra-core', 'shared'] as const;
type Layout = (typeof LAYOUTS)[number];
const layoutArg = process.argv.includes('--layout') ? process.argv[process.argv.indexOf('--layout') + 1] : 'pool-core';
if (!LAYOUTS.includes(layoutArg as Layout)) throw new Error(`--layout must be one of ${LAYOUTS.join(', ')} (got ${layoutArg})`);
const CORES = os.cpus().length;
/** pinning needs a pool and at least two cores */
const LAYOUT: Layout = POOL && CORES >= 2 ? (layoutArg as Layout) : 'shared';
/** every core but the last, and the last, as taskset lists */
const FIRST_CPUS = CORES > 2 ? `0-${CORES - 2}` : '0';
const LAST_CPU = String(CORES - 1);

/** Sets the CPU affinity of every thread of `pid` (threads and processes it starts later inherit it). */
function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', cpus, String(pid)], { stdio: 'ignore' });
}
const F = 16;
const PLAIN = 'bench-plain';
const SHADOWED = 'bench-shadow';
const names = Array.from({ length: F }, (_, i) => `f${i}`);

function row(seed: number): number[] {
  const r = createRng(seed).next;
  return names.map(() => Math.round(r() * 1000) / 100);
}
const ROWS = Array.from({ length: 256 }, (_, i) => [row(i)]);

interface Cell {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** the worker's CPU per answered request over the measured window, µs (closed loop only) */
  cpuUs: number;
  /** the same for the registry and Postgres together (what the experiment's measurement costs them), µs */
  infraCpuUs: number;
  /** every latency measured in the cell (ms): the run's pooled p99 per kind is taken over all of them */
  latencies: number[];
}

/** the worker's pid (its CPU is read around each closed-loop cell's measured window) */
let workerPid: number | undefined;
/** the shadow pool worker's pid (WORKER_POOL=shadow), when there is one */
let poolPid: number | undefined;
/** the registry's and the embedded Postgres's pids (Postgres only when started here) */
let infraPids: number[] = [];
const infraCpuUs = () => infraPids.reduce((sum, pid) => sum + processCpuUs(pid), 0);

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function cellOf(latencies: number[], failed: number): Cell {
  const s = [...latencies].sort((a, b) => a - b);
  return { rps: latencies.length / (CELL_MS / 1000), p50: quantile(s, 0.5), p99: quantile(s, 0.99), failed, cpuUs: Number.NaN, infraCpuUs: Number.NaN, latencies };
}

/** C callers, one request after the other; only requests started inside the measured window count. */
async function closedCell(rpc: RpcClient, model: string): Promise<Cell> {
  const from = performance.now() + WARMUP_MS;
  const to = from + CELL_MS;
  const latencies: number[] = [];
  let failed = 0;
  let k = 0;
  // the worker's CPU and the answers counted between the window's ends (a timer may fire late on a loaded machine:
  // both are read at the same moments, so the ratio stays right)
  let completed = 0;
  let cpu0 = Number.NaN;
  let infra0 = Number.NaN;
  let done0 = 0;
  let cpu1 = Number.NaN;
  let infra1 = Number.NaN;
  let done1 = 0;
  const t0 = setTimeout(() => {
    cpu0 = processCpuUs(workerPid);
    infra0 = infraCpuUs();
    done0 = completed;
  }, from - performance.now());
  const readEnd = () => {
    cpu1 = processCpuUs(workerPid);
    infra1 = infraCpuUs();
    done1 = completed;
  };
  const t1 = setTimeout(readEnd, to - performance.now());
  const caller = async () => {
    for (;;) {
      const start = performance.now();
      if (start >= to) return;
      const req: PredictRequest = { model, rows: ROWS[k++ % ROWS.length], routeKey: `k${k}` };
      try {
        await rpc.call(InferenceSubjects.predict, req, { timeoutMs: 10_000 });
        completed++;
        if (start >= from) latencies.push(performance.now() - start);
      } catch {
        if (start >= from) failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: C }, caller));
  clearTimeout(t0);
  clearTimeout(t1);
  if (Number.isNaN(cpu1)) readEnd();
  const answered = done1 - done0;
  return {
    ...cellOf(latencies, failed),
    cpuUs: answered > 0 && cpu1 > cpu0 ? (cpu1 - cpu0) / answered : Number.NaN,
    infraCpuUs: answered > 0 && infra1 >= infra0 ? (infra1 - infra0) / answered : Number.NaN,
  };
}

/** Requests on a fixed schedule (`rate` per second); each latency runs from its scheduled time. */
async function openCell(rpc: RpcClient, model: string, rate: number): Promise<Cell> {
  const t0 = performance.now();
  const from = t0 + WARMUP_MS;
  const to = from + CELL_MS;
  const latencies: number[] = [];
  let failed = 0;
  let sent = 0;
  const inFlight: Array<Promise<void>> = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // every request due by now, each stamped with its own scheduled time
      while (sent < ((Math.min(now, to) - t0) / 1000) * rate) {
        const due = t0 + (sent / rate) * 1000;
        const k = sent++;
        const req: PredictRequest = { model, rows: ROWS[k % ROWS.length], routeKey: `o${k}` };
        inFlight.push(
          rpc.call(InferenceSubjects.predict, req, { timeoutMs: 10_000 }).then(
            () => void (due >= from && latencies.push(performance.now() - due)),
            () => void (due >= from && failed++),
          ),
        );
      }
      if (now >= to) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(inFlight);
  return cellOf(latencies, failed);
}

async function workerFollows(nc: NatsConnection, id: string): Promise<void> {
  await waitFor(`the worker to route ${SHADOWED} by experiment ${id}`, async () => {
    const replies = (await scatterGather(nc, HealthSubjects.ping, 200)).filter((r) => r.service === 'inference-worker');
    return replies.some((r) => (r.details?.['experiments'] as Record<string, { id: string }> | undefined)?.[SHADOWED]?.id === id) ? true : undefined;
  }, { timeoutMs: 30_000 });
}

/** The serving worker has found the pool (its probe) and the pool is past its start-up grace: no copy is scored twice. */
async function poolTakesCopies(nc: NatsConnection): Promise<void> {
  await waitFor('the serving worker to leave its shadow copies to the pool, and the pool to mirror', async () => {
    const queues = (await scatterGather(nc, HealthSubjects.ping, 200))
      .filter((r) => r.service === 'inference-worker')
      .map((r) => r.details?.['shadowQueue'] as { pool: string; scoredByPool?: boolean; mirroring?: boolean } | undefined);
    return queues.some((q) => q?.pool === 'serving' && q.scoredByPool) && queues.some((q) => q?.pool === 'shadow' && q.mirroring) ? true : undefined;
  }, { timeoutMs: 30_000 });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs: number[]) => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}×`;
const f1 = (x: number) => x.toFixed(1);

async function main(): Promise<void> {
  let nats: NatsHandle | undefined;
  let pg: PostgresProcess | undefined;
  const services: RunningService[] = [];
  const schema = uniqueSchema('bench');
  const started = Date.now();
  try {
    nats = await startNatsServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'loglens-bench-nats-')) });
    // Postgres from DATABASE_URL, else the embedded one in a process of its own: in this process PGlite would run the
    // registry's writes on the callers' event loop and stall the requests it measures
    if (!process.env['DATABASE_URL']) pg = await spawnEmbeddedPostgres();
    const databaseUrl = pg?.url ?? (process.env['DATABASE_URL'] as string);
    const nc = await connect({ servers: nats.url, name: 'bench-shadow', noAsyncTraces: true });
    const rpc = new RpcClient(nc, 10_000);
    services.push(await spawnService('registry', nc, { NATS_URL: nats.url, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema }, { readyTimeoutMs: 60_000 }));
    const profDir = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
    services.push(
      await spawnService(
        'inference-worker',
        nc,
        // drift profiling off: it is measured on its own (docs/benchmarks.md) and would only add the same to both sides
        { NATS_URL: nats.url, INFERENCE_THREADS: '1', WORKER_DRIFT_BUCKET_MS: '0', SHADOW_SCORING: POOL ? 'auto' : 'local' },
        { readyTimeoutMs: 60_000, ...(profDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] } : {}) },
      ),
    );
    workerPid = services[1].process.pid;
    if (POOL) {
      services.push(
        await spawnService(
          'inference-worker',
          nc,
          { NATS_URL: nats.url, INFERENCE_THREADS: '1', WORKER_DRIFT_BUCKET_MS: '0', WORKER_POOL: 'shadow' },
          { readyTimeoutMs: 60_000, ...(profDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.join(profDir, 'pool')}`] } : {}) },
        ),
      );
      poolPid = services[2].process.pid;
    }
    const registryPid = services[0].process.pid;
    const natsPid = nats.process?.pid;
    const pgPid = pg?.process.pid;
    infraPids = [registryPid, pgPid].filter((pid): pid is number => pid !== undefined);
    if (LAYOUT !== 'shared' && registryPid && workerPid && poolPid && natsPid) {
      const infra = LAYOUT === 'infra-core' ? LAST_CPU : FIRST_CPUS;
      pin(process.pid, FIRST_CPUS);
      pin(workerPid, FIRST_CPUS);
      pin(natsPid, infra);
      pin(registryPid, infra);
      if (pgPid) pin(pgPid, infra);
      pin(poolPid, LAST_CPU);
    }
    const r = createRng(7).next;
    const graph = { featureNames: names, mean: names.map(() => r()), scale: names.map(() => 0.5 + r()), weights: names.map(() => r() * 2 - 1) };
    const version = (model: string, bias: number) => ({ model, onnx: writeLogisticRegressionModel({ ...graph, bias }), featureNames: names, createdBy: 'bench' });
    for (const model of [PLAIN, SHADOWED]) await deployServedVersion(rpc, version(model, -0.5), row(1), { actor: 'bench', reason: 'benchmark' });
    await registerVersion(rpc, version(SHADOWED, 0.5));
    const e = await rpc.call(RegistrySubjects.createExperiment, {
      model: SHADOWED,
      kind: 'shadow',
      candidates: [{ version: '2', weight: 0 }],
      shadow: { percent: 100 },
      criteria: { maxErrorRate: 0.01, maxP99Ms: 1000, minSamples: 10 },
      actor: 'bench',
    });
    await workerFollows(nc, e.id);
    if (POOL) await poolTakesCopies(nc);
    // JIT warm-up of both paths (and the shadow version loaded), then the open loop's rate
    for (let i = 0; i < 2; i++) {
      await closedCell(rpc, SHADOWED);
      await closedCell(rpc, PLAIN);
    }
    const warm = [await closedCell(rpc, PLAIN), await closedCell(rpc, PLAIN), await closedCell(rpc, PLAIN)];
    const rate = Math.round(median(warm.map((w) => w.rps)) * OPEN_SHARE);
    console.log(POOL ? `shadow copies scored by a shadow pool of one worker (WORKER_POOL=shadow, nice 19; pid ${poolPid})` : 'shadow copies scored in the serving worker (SHADOW_SCORING=local)');
    if (POOL)
      console.log(
        LAYOUT === 'pool-core'
          ? `layout pool-core: the pool on CPU ${LAST_CPU} alone; the callers, nats-server, the registry (and the embedded Postgres) and the serving worker on CPU ${FIRST_CPUS}`
          : LAYOUT === 'infra-core'
            ? `layout infra-core: nats-server, the registry (and the embedded Postgres) and the pool on CPU ${LAST_CPU}; the callers and the serving worker on CPU ${FIRST_CPUS}`
            : 'layout shared: every process on every core',
      );
    console.log(`one worker (INFERENCE_THREADS 1), 1-row requests, logistic regression of ${F} features; open loop at ${rate} req/s (${OPEN_SHARE * 100} % of plain closed-loop throughput)`);
    const thr: number[] = [];
    const p99c: number[] = [];
    const p99o: number[] = [];
    const cpu: number[] = [];
    const rows: string[] = [];
    /** every cell's latencies by loop and kind: the run's p99 over all of them (a per-round p99 of 2 s moves with one stall) */
    const pooled = { closedPlain: [] as number[][], closedShadow: [] as number[][], openPlain: [] as number[][], openShadow: [] as number[][] };
    for (let i = 0; i < ROUNDS; i++) {
      const a = await closedCell(rpc, PLAIN);
      const b = await closedCell(rpc, SHADOWED);
      const c = await closedCell(rpc, SHADOWED);
      const d = await closedCell(rpc, PLAIN);
      const skipped: Cell = { rps: 0, p50: Number.NaN, p99: Number.NaN, failed: 0, cpuUs: Number.NaN, infraCpuUs: Number.NaN, latencies: [] };
      const oa = OPEN ? await openCell(rpc, PLAIN, rate) : skipped;
      const ob = OPEN ? await openCell(rpc, SHADOWED, rate) : skipped;
      const oc = OPEN ? await openCell(rpc, SHADOWED, rate) : skipped;
      const od = OPEN ? await openCell(rpc, PLAIN, rate) : skipped;
      const plainRps = (a.rps + d.rps) / 2;
      const shadowRps = (b.rps + c.rps) / 2;
      const plainP99 = (a.p99 + d.p99) / 2;
      const shadowP99 = (b.p99 + c.p99) / 2;
      const openPlain = (oa.p99 + od.p99) / 2;
      const openShadow = (ob.p99 + oc.p99) / 2;
      const failed = [a, b, c, d, oa, ob, oc, od].reduce((s, x) => s + x.failed, 0);
      pooled.closedPlain.push(a.latencies, d.latencies);
      pooled.closedShadow.push(b.latencies, c.latencies);
      pooled.openPlain.push(oa.latencies, od.latencies);
      pooled.openShadow.push(ob.latencies, oc.latencies);
      const plainCpu = (a.cpuUs + d.cpuUs) / 2;
      const shadowCpu = (b.cpuUs + c.cpuUs) / 2;
      const plainInfra = (a.infraCpuUs + d.infraCpuUs) / 2;
      const shadowInfra = (b.infraCpuUs + c.infraCpuUs) / 2;
      cpu.push(shadowCpu / plainCpu);
      thr.push(shadowRps / plainRps);
      p99c.push(shadowP99 / plainP99);
      p99o.push(openShadow / openPlain);
      const line =
        `| ${i + 1} | ${plainRps.toFixed(0)} | ${shadowRps.toFixed(0)} | ${(shadowRps / plainRps).toFixed(3)}× | ${f1(plainP99)} | ${f1(shadowP99)} | ${(shadowP99 / plainP99).toFixed(3)}× ` +
        `| ${f1(openPlain)} | ${f1(openShadow)} | ${(openShadow / openPlain).toFixed(3)}× | ${f1(plainCpu)} | ${f1(shadowCpu)} | ${(shadowCpu / plainCpu).toFixed(3)}× | ${f1(plainInfra)} | ${f1(shadowInfra)} | ${failed} |`;
      rows.push(line);
      console.log(line);
    }
    const report = (await rpc.call(RegistrySubjects.experimentReport, { id: e.id })) as unknown as {
      arms: Array<{ version: string; requests: number; shadowErrors: number; shadowDropped: number; p99Ms: number }>;
      comparisons: Array<{ agreement: { compared: number; agreement: number; flips: number } }>;
    };
    const workers = (await scatterGather(nc, HealthSubjects.ping, 300)).filter((x) => x.service === 'inference-worker');
    await rpc.call(RegistrySubjects.changeExperiment, { id: e.id, action: 'abort', actor: 'bench' });
    console.log('');
    console.log('| round | closed plain req/s | closed shadow req/s | throughput shadow/plain | closed plain p99 ms | closed shadow p99 ms | p99 shadow/plain | open plain p99 ms | open shadow p99 ms | p99 shadow/plain | worker CPU µs/req plain | shadow | CPU shadow/plain | registry + Postgres CPU µs/req plain | shadow | failed |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const l of rows) console.log(l);
    console.log('');
    console.log(`c=${C}, ${ROUNDS} ABBA rounds of 4 × ${CELL_MS / 1000} s per mode: closed-loop throughput shadow/plain median ${median(thr).toFixed(3)}× (range ${range(thr)}), ` +
      `closed-loop caller p99 median ${median(p99c).toFixed(3)}× (range ${range(p99c)}), open-loop caller p99 median ${median(p99o).toFixed(3)}× (range ${range(p99o)}), ` +
      `worker CPU per request median ${median(cpu).toFixed(3)}× (range ${range(cpu)})`);
    const p99Of = (cells: number[][]) => quantile(cells.flat().sort((x, y) => x - y), 0.99);
    const pooledLine = (mode: string, plain: number[][], shadowed: number[][]) => {
      const [pp, ps] = [p99Of(plain), p99Of(shadowed)];
      return `${mode} p99 over all ${plain.flat().length} plain and ${shadowed.flat().length} shadow requests: ${f1(pp)} ms plain, ${f1(ps)} ms shadow, ${(ps / pp).toFixed(3)}×`;
    };
    console.log(`pooled over the run: ${pooledLine('closed-loop', pooled.closedPlain, pooled.closedShadow)}` + (OPEN ? `; ${pooledLine('open-loop', pooled.openPlain, pooled.openShadow)}` : ''));
    const [control, shadow] = report.arms;
    console.log(`experiment report: ${control.version} ${control.requests} requests; shadow ${shadow.version} ${shadow.requests} copies scored, ${shadow.shadowDropped} dropped (queue full), ${shadow.shadowErrors} failed; ` +
      `agreement ${report.comparisons[0].agreement.agreement.toFixed(3)} over ${report.comparisons[0].agreement.compared} rows, ${report.comparisons[0].agreement.flips} flips`);
    for (const w of workers) {
      const mirror = w.details?.['mirror'];
      console.log(`worker ${w.instanceId} shadow queue: ${JSON.stringify(w.details?.['shadowQueue'])}${mirror ? `; mirror (pauses while it fell behind): ${JSON.stringify(mirror)}` : ''}`);
    }
    console.log(`${Math.round((Date.now() - started) / 1000)} s; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}; ${os.cpus().length} cores, Node ${process.version}`);
    await nc.close();
  } finally {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    await nats?.stop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
