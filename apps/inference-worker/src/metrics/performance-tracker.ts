import { percentile, type WorkerVersionSample } from '@loglens/contracts';

const BUCKET_MS = 10_000;
const BUCKETS = 90; // 15 minutes
const RESERVOIR = 512;

/** The last `size` samples, overwritten in place: no allocation or shifting on the hot path. */
class Ring {
  private readonly values: Float64Array;
  private next = 0;
  private count = 0;

  constructor(size: number) {
    this.values = new Float64Array(size);
  }

  push(v: number): void {
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.values.length;
    if (this.count < this.values.length) this.count++;
  }

  toArray(): number[] {
    return Array.from(this.values.subarray(0, this.count));
  }

  get size(): number {
    return this.count;
  }
}

interface Bucket {
  start: number;
  requests: number;
  errors: number;
  rows: number;
  latencies: Ring;
}

interface VersionStats {
  model: string;
  ref: string;
  success: number;
  failure: number;
  inferences: number;
  executions: number;
  latencyMs: Ring;
  queueMs: Ring;
  computeMs: Ring;
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
    v.latencyMs.push(s.latencyMs);
    v.queueMs.push(s.queueMs);
    v.computeMs.push(s.computeMs);
    const b = this.bucketOf(v);
    b.requests++;
    b.rows += s.rows;
    b.latencies.push(s.latencyMs);
  }

  recordFailure(model: string, ref: string, latencyMs: number): void {
    const v = this.statsOf(model, ref);
    v.failure++;
    v.latencyMs.push(latencyMs);
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
      latencyMs: v.latencyMs.toArray(),
      queueMs: v.queueMs.toArray(),
      computeMs: v.computeMs.toArray(),
      buckets: v.buckets
        .filter((b) => b.start >= cutoff)
        .map((b): [number, number, number, number, number] => [b.start, b.requests, b.errors, b.rows, b.latencies.size ? percentile(b.latencies.toArray(), 0.95) : -1]),
    }));
  }

  private statsOf(model: string, ref: string): VersionStats {
    let v = this.versions.get(ref);
    if (!v) {
      v = { model, ref, success: 0, failure: 0, inferences: 0, executions: 0, latencyMs: new Ring(RESERVOIR), queueMs: new Ring(RESERVOIR), computeMs: new Ring(RESERVOIR), buckets: [] };
      this.versions.set(ref, v);
    }
    return v;
  }

  private bucketOf(v: VersionStats): Bucket {
    const start = Math.floor(this.now() / BUCKET_MS) * BUCKET_MS;
    let last = v.buckets[v.buckets.length - 1];
    if (!last || last.start !== start) {
      last = { start, requests: 0, errors: 0, rows: 0, latencies: new Ring(RESERVOIR) };
      v.buckets.push(last);
      if (v.buckets.length > BUCKETS) v.buckets.shift();
    }
    return last;
  }
}
