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
