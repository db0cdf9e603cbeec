// CPU cost of the worker's drift fold per answered predict, in process (no NATS, no model): the current path
// (PredictProfiler.record: one bucket look-up per request, each value straight into its column's sketch) against the
// previous one (per row: numericRow copies the row, LiveProfiler.add builds a window object and looks the bucket up by
// a key string, addWindow finds each sketch by name), on the same rows, in alternating rounds (A B B A), reporting
// CPU ns per request (process.cpuUsage: wall time on a loaded machine counts the waits) and new/old per round. One-row requests of 16 features, like tools/bench/predict-drift.ts.
// Lives in the worker's project (tools/ never imports an app). Usage: node tools/ts-run.mjs apps/inference-worker/src/bench/predict-fold.ts [--rows N] [--rounds N]
import os from 'node:os';
import type { PredictRequest, ServingVersionDto } from '@loglens/contracts';
import { LiveProfiler, buildReferenceProfile } from '@loglens/drift';
import type { EventBus, HealthResponder, RpcClient, ServiceIdentity } from '@loglens/nest-common';
import { createRng } from '@loglens/training';
import type { WorkerEnv } from '../app/worker.env';
import type { LoadedVersion } from '../serving/loaded-version';
import { PredictProfiler, numericRow } from '../serving/predict-profiler.service';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Math.max(1, Number(process.argv[i + 1]) || fallback) : fallback;
};
const ROWS = arg('--rows', 1);
const ROUNDS = arg('--rounds', 9);
const REQUESTS = 200_000;
const F = 16;
const names = Array.from({ length: F }, (_, i) => `f${i}`);
const row = (seed: number): number[] => {
  const r = createRng(seed).next;
  return names.map(() => Math.round(r() * 1000) / 100);
};
const reference = buildReferenceProfile({ featureNames: names, rows: Array.from({ length: 500 }, (_, i) => row(1000 + i)), scores: Array.from({ length: 500 }, (_, i) => i / 500), threshold: 0.5 });
const requests: PredictRequest[] = Array.from({ length: 256 }, (_, i) => ({ model: 'm', rows: Array.from({ length: ROWS }, (_, k) => row(i * ROWS + k)) }));
const scores = requests.map((r, i) => r.rows.map((_, k) => ((i + k) % 100) / 100));
const flags = scores.map((s) => s.map((x) => x >= 0.5));

/** CPU time (user + system) of this process since `t`, in ns: on a shared, loaded machine wall time would count the waits. */
function cpuNs(t: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(t);
  return (d.user + d.system) * 1000;
}

async function main(): Promise<void> {
  const loaded = { info: { ref: 'm@1', featureNames: names } as ServingVersionDto } as LoadedVersion;
  const rpc = { call: () => Promise.resolve({ ref: 'm@1', metadata: { referenceProfile: reference } }) } as unknown as RpcClient;
  const events = { publish: () => undefined } as unknown as EventBus;
  const health = { addDetails: () => undefined } as unknown as HealthResponder;
  const current = new PredictProfiler({ WORKER_DRIFT_BUCKET_MS: 60_000 } as WorkerEnv, rpc, events, health, { service: 'inference-worker', instanceId: '1', startedAt: new Date().toISOString() } as unknown as ServiceIdentity);
  current.record(loaded, requests[0], scores[0], flags[0]); // reads the reference
  await new Promise((r) => setImmediate(r));
  const previous = new LiveProfiler(60_000);

  const runCurrent = (): number => {
    const t = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) current.record(loaded, requests[i & 255], scores[i & 255], flags[i & 255]);
    return cpuNs(t) / REQUESTS;
  };
  const runPrevious = (): number => {
    const t = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) {
      const req = requests[i & 255];
      const at = Date.now();
      for (let k = 0; k < req.rows.length; k++) {
        const s = scores[i & 255][k];
        previous.add('m@1', reference, { at, row: numericRow(req.rows[k], names, names), featureNames: names, score: s, flagged: flags[i & 255][k] });
      }
    }
    return cpuNs(t) / REQUESTS;
  };
  for (let i = 0; i < 3; i++) {
    runCurrent();
    runPrevious();
  }
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = runPrevious();
    const b = runCurrent();
    const c = runCurrent();
    const d = runPrevious();
    const prev = (a + d) / 2;
    const cur = (b + c) / 2;
    ratios.push(cur / prev);
    console.log(`round ${r + 1}: previous ${prev.toFixed(0)} ns/request, current ${cur.toFixed(0)} ns/request, current/previous ${(cur / prev).toFixed(3)}×`);
    current.flush();
    previous.drain();
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(`${ROWS}-row requests of ${F} features, ${ROUNDS} ABBA rounds of ${REQUESTS} requests: current/previous median ${sorted[Math.floor(sorted.length / 2)].toFixed(3)}× (range ${sorted[0].toFixed(3)}–${sorted[sorted.length - 1].toFixed(3)}×); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
