import { percentile, type WorkerVersionSample } from '@loglens/contracts';

const BUCKET_MS = 10_000;
const BUCKETS = 90; // 15 minutes
const RESERVOIR = 512;

interface Bucket {
  start: number;
  requests: number;
  errors: number;
  rows: number;
  latencies: number[];
}

interface VersionStats {
  model: string;
  ref: string;
  success: number;
  failure: number;
  inferences: number;
  executions: number;
  latencyMs: number[];
  queueMs: number[];
  computeMs: number[];
  buckets: Bucket[];
}

export interface SuccessSample {
  rows: number;
  latencyMs: number;
  queueMs: number;
  computeMs: number;
  /** requests that shared the onnxruntime run */
  batchRequests: number;
}

/**
 * Per-version serving figures for the admin's performance page: totals, recent samples for percentiles, and
 * 10-second buckets for charts. Bounded memory whatever the traffic.
 */
export class PerformanceTracker {
  private readonly versions = new Map<string, VersionStats>();

  constructor(private readonly now: () => number = Date.now) {}

  recordSuccess(model: string, ref: string, s: SuccessSample): void {
    const v = this.statsOf(model, ref);
    v.success++;
    v.inferences += s.rows;
    // every request of a batch reports the batch: each adds its share, so the shares sum to one execution
    v.executions += 1 / Math.max(1, s.batchRequests);
    push(v.latencyMs, s.latencyMs);
    push(v.queueMs, s.queueMs);
    push(v.computeMs, s.computeMs);
    const b = this.bucketOf(v);
    b.requests++;
    b.rows += s.rows;
    push(b.latencies, s.latencyMs);
  }

  recordFailure(model: string, ref: string, latencyMs: number): void {
    const v = this.statsOf(model, ref);
    v.failure++;
    push(v.latencyMs, latencyMs);
    const b = this.bucketOf(v);
    b.requests++;
    b.errors++;
  }

  snapshot(): WorkerVersionSample[] {
    const cutoff = this.now() - BUCKETS * BUCKET_MS;
    return [...this.versions.values()].map((v) => ({
      model: v.model,
      ref: v.ref,
      success: v.success,
      failure: v.failure,
      inferences: v.inferences,
      executions: Math.round(v.executions),
      latencyMs: [...v.latencyMs],
      queueMs: [...v.queueMs],
      computeMs: [...v.computeMs],
      buckets: v.buckets
        .filter((b) => b.start >= cutoff)
        .map((b): [number, number, number, number, number] => [b.start, b.requests, b.errors, b.rows, b.latencies.length ? percentile(b.latencies, 0.95) : -1]),
    }));
  }

  private statsOf(model: string, ref: string): VersionStats {
    let v = this.versions.get(ref);
    if (!v) {
      v = { model, ref, success: 0, failure: 0, inferences: 0, executions: 0, latencyMs: [], queueMs: [], computeMs: [], buckets: [] };
      this.versions.set(ref, v);
    }
    return v;
  }

  private bucketOf(v: VersionStats): Bucket {
    const start = Math.floor(this.now() / BUCKET_MS) * BUCKET_MS;
    let last = v.buckets[v.buckets.length - 1];
    if (!last || last.start !== start) {
      last = { start, requests: 0, errors: 0, rows: 0, latencies: [] };
      v.buckets.push(last);
      if (v.buckets.length > BUCKETS) v.buckets.shift();
    }
    return last;
  }
}

function push(list: number[], value: number): void {
  list.push(value);
  if (list.length > RESERVOIR) list.shift();
}
