/** Serving performance as GET /model-management/performance reports it (JSON twin of the Prometheus /metrics). */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface PerformancePointDto {
  /** start of a 10-second bucket */
  at: string;
  requests: number;
  errors: number;
  rows: number;
  p95Ms: number | null;
}

export interface VersionPerformanceDto {
  model: string;
  ref: string;
  requests: { success: number; failure: number };
  /** rows scored */
  inferences: number;
  /** onnxruntime runs; inferences / executions = average batch size */
  executions: number;
  avgBatchSize: number;
  errorRate: number;
  /** requests per second over the last minute */
  throughputPerSec: number;
  latencyMs: Percentiles;
  queueMs: Percentiles;
  computeMs: Percentiles;
  /** last 15 minutes, oldest first */
  series: PerformancePointDto[];
}

export interface WorkerPerformanceDto {
  instanceId: string;
  rssBytes: number;
  cpuPercent: number;
  loadedVersions: string[];
  queueDepth: number;
}

export interface PerformanceReply {
  generatedAt: string;
  versions: VersionPerformanceDto[];
  workers: WorkerPerformanceDto[];
}

/** One worker's raw figures, merged by the gateway (sums, and percentiles over the pooled samples). */
export interface WorkerVersionSample {
  model: string;
  ref: string;
  success: number;
  failure: number;
  inferences: number;
  executions: number;
  /** recent per-request durations in ms (a bounded reservoir) */
  latencyMs: number[];
  queueMs: number[];
  computeMs: number[];
  /** 10-second buckets, oldest first: [bucket start epoch ms, requests, errors, rows, p95 ms or -1] */
  buckets: Array<[number, number, number, number, number]>;
}

/** Asks every worker for its metrics (scatter-gather: the body is empty). */
export class WorkerMetricsRequest {}

export interface WorkerMetricsReply {
  instanceId: string;
  rssBytes: number;
  cpuPercent: number;
  loadedVersions: string[];
  queueDepth: number;
  versions: WorkerVersionSample[];
  /** prom-client getMetricsAsJSON() of the worker, aggregated by the gateway into /metrics */
  prometheus: unknown[];
}

/** Nearest-rank percentile of unsorted samples (workers and gateway compute percentiles the same way). */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
