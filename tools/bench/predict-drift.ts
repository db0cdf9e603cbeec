// Predict throughput with the worker's drift profiling of the direct predict path on vs off (issue 12 item 2), paired
// in one run on one worker: a round sends predicts at concurrency c with `profiled: true` (the agents' flag: the worker
// skips profiling) and without it (the worker folds every row into its drift bucket) in the order off, on, on, off
// (ABBA, so a steady drift of the shared machine's speed cancels out), and reports on/off of the round's sums. The version carries a reference profile, so the
// "on" half does the full work (bucket fold of every feature + score). Services are the built dist/apps/*/main.js.
// Usage: node tools/ts-run.mjs tools/bench/predict-drift.ts [--concurrency N] [--rounds N] [--cpu-prof DIR]   (about a minute)
// --cpu-prof DIR: the worker runs with node --cpu-prof and writes its CPU profile to DIR when it stops.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'nats';
import { InferenceSubjects, type PredictRequest } from '@loglens/contracts';
import { startNatsServer, type NatsHandle } from '@loglens/dev-infra';
import { buildReferenceProfile } from '@loglens/drift';
import { RpcClient } from '@loglens/nest-common';
import { writeLogisticRegressionModel } from '@loglens/onnx-format';
import { deployServedVersion, type PostgresProcess, type RunningService, spawnEmbeddedPostgres, spawnService, uniqueSchema } from '@loglens/testing';
import { createRng } from '@loglens/training';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Math.max(1, Number(process.argv[i + 1]) || fallback) : fallback;
};
const C = arg('--concurrency', 64);
const ROUNDS = arg('--rounds', 5);
const CELL_MS = 2000;
const WARMUP_MS = 500;
const F = 16;
const MODEL = 'bench-drift';
const names = Array.from({ length: F }, (_, i) => `f${i}`);

function row(seed: number): number[] {
  const r = createRng(seed).next;
  return names.map(() => Math.round(r() * 1000) / 100);
}

/** Closed loop: C callers each send the next request when the last is answered; counts the measured window only. */
async function cell(rpc: RpcClient, profiled: boolean): Promise<{ rps: number; failed: number }> {
  const rows = Array.from({ length: 64 }, (_, i) => [row(i)]);
  const t0 = performance.now();
  const from = t0 + WARMUP_MS;
  const to = from + CELL_MS;
  let n = 0;
  let failed = 0;
  let k = 0;
  const caller = async () => {
    for (;;) {
      const start = performance.now();
      if (start >= to) return;
      const req: PredictRequest = { model: MODEL, rows: rows[k++ % rows.length], ...(profiled ? { profiled: true } : {}) };
      try {
        await rpc.call(InferenceSubjects.predict, req, { timeoutMs: 10_000 });
        if (start >= from) n++;
      } catch {
        if (start >= from) failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: C }, caller));
  return { rps: n / (CELL_MS / 1000), failed };
}

async function main(): Promise<void> {
  let nats: NatsHandle | undefined;
  let pg: PostgresProcess | undefined;
  const services: RunningService[] = [];
  const schema = uniqueSchema('bench');
  try {
    nats = await startNatsServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'loglens-bench-nats-')) });
    // in a process of its own, not on this load generator's event loop
    pg = await spawnEmbeddedPostgres();
    const nc = await connect({ servers: nats.url, name: 'bench-drift', noAsyncTraces: true });
    const rpc = new RpcClient(nc, 10_000);
    services.push(await spawnService('registry', nc, { NATS_URL: nats.url, DATABASE_URL: pg.url, DATABASE_SCHEMA: schema }, { readyTimeoutMs: 60_000 }));
    const profDir = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
    services.push(
      await spawnService('inference-worker', nc, { NATS_URL: nats.url, WORKER_DRIFT_BUCKET_MS: '1000' }, { readyTimeoutMs: 60_000, ...(profDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] } : {}) }),
    );
    const r = createRng(7).next;
    const bytes = writeLogisticRegressionModel({
      featureNames: names,
      mean: names.map(() => r()),
      scale: names.map(() => 0.5 + r()),
      weights: names.map(() => r() * 2 - 1),
      bias: -0.5,
    });
    const referenceProfile = buildReferenceProfile({ featureNames: names, rows: Array.from({ length: 500 }, (_, i) => row(1000 + i)), scores: Array.from({ length: 500 }, (_, i) => i / 500), threshold: 0.5 });
    await deployServedVersion(
      rpc,
      { model: MODEL, onnx: bytes, featureNames: names, metadata: { referenceProfile }, createdBy: 'bench' },
      row(1),
      { actor: 'bench', reason: 'benchmark' },
    );
    // JIT warm-up (both paths), and the worker reads the version's reference
    for (let i = 0; i < 3; i++) await cell(rpc, i % 2 === 0);
    const ratios: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const a = await cell(rpc, true);
      const b = await cell(rpc, false);
      const c = await cell(rpc, false);
      const d = await cell(rpc, true);
      const off = { rps: (a.rps + d.rps) / 2, failed: a.failed + d.failed };
      const on = { rps: (b.rps + c.rps) / 2, failed: b.failed + c.failed };
      ratios.push(on.rps / off.rps);
      console.log(`round ${i + 1}: profiling off ${off.rps.toFixed(0)} req/s, on ${on.rps.toFixed(0)} req/s, on/off ${(on.rps / off.rps).toFixed(3)}× (failed ${off.failed}/${on.failed})`);
    }
    const sorted = [...ratios].sort((x, y) => x - y);
    console.log(`c=${C}, ${ROUNDS} ABBA rounds of 4 × ${CELL_MS / 1000} s: on/off median ${sorted[Math.floor(sorted.length / 2)].toFixed(3)}×, range ${sorted[0].toFixed(3)}–${sorted[sorted.length - 1].toFixed(3)}×; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
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
