import { Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { NatsConnection } from 'nats';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import {
  InferenceSubjects,
  percentile,
  type PerformancePointDto,
  type PerformanceReply,
  type VersionPerformanceDto,
  type WorkerMetricsReply,
  type WorkerVersionSample,
} from '@loglens/contracts';
import { NATS_CONNECTION, scatterGather } from '@loglens/nest-common';

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The platform's metrics: the gateway's own (HTTP) plus every worker's, gathered over NATS at scrape time, so one
 * Prometheus target sees the whole pool however many workers run.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'loglens_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly httpDuration = new Histogram({ name: 'loglens_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: HTTP_BUCKETS, registers: [this.registry] });
  /** how many workers answered this scrape's scatter-gather: 0 is the "no worker" alert (deploy/prometheus/alerts.yml) */
  private readonly workersAnswering = new Gauge({ name: 'loglens_inference_workers', help: 'Inference workers that answered the metrics scatter-gather of this scrape', registers: [this.registry] });

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {
    collectDefaultMetrics({ register: this.registry, prefix: 'loglens_gateway_' });
  }

  /** Counts and times one HTTP request by its route pattern once its response is sent (the status is known then). */
  observeHttp(method: string, route: string, res: ServerResponse): void {
    const started = performance.now();
    res.once('finish', () => {
      this.httpRequests.inc({ method, route, status: String(res.statusCode) });
      this.httpDuration.observe({ method, route }, (performance.now() - started) / 1000);
    });
  }

  /** Prometheus text: gateway metrics followed by the pool's, summed across workers. */
  async prometheus(): Promise<string> {
    const workers = await this.gather();
    this.workersAnswering.set(workers.length);
    const own = await this.registry.metrics();
    if (workers.length === 0) return own;
    const pool = AggregatorRegistry.aggregate(workers.map((w) => w.prometheus as MetricObjectWithValues<MetricValue<string>>[]));
    return `${own}\n${await pool.metrics()}`;
  }

  async performance(): Promise<PerformanceReply> {
    const workers = await this.gather();
    const byRef = new Map<string, WorkerVersionSample[]>();
    for (const w of workers) {
      for (const v of w.versions) {
        const samples = byRef.get(v.ref);
        if (samples) samples.push(v);
        else byRef.set(v.ref, [v]);
      }
    }
    return {
      generatedAt: new Date().toISOString(),
      versions: [...byRef.values()].map(mergeVersion).sort((a, b) => a.ref.localeCompare(b.ref)),
      workers: workers.map((w) => ({
        instanceId: w.instanceId,
        rssBytes: w.rssBytes,
        cpuPercent: w.cpuPercent,
        loadedVersions: w.loadedVersions,
        queueDepth: w.queueDepth,
      })),
    };
  }

  private gather(windowMs = 500): Promise<WorkerMetricsReply[]> {
    return scatterGather(this.nc, InferenceSubjects.metrics, windowMs);
  }
}

function mergeVersion(samples: WorkerVersionSample[]): VersionPerformanceDto {
  const sum = (pick: (s: WorkerVersionSample) => number) => samples.reduce((n, s) => n + pick(s), 0);
  const pool = (pick: (s: WorkerVersionSample) => number[]) => samples.flatMap(pick);
  const pct = (xs: number[]) => ({ p50: round(percentile(xs, 0.5)), p95: round(percentile(xs, 0.95)), p99: round(percentile(xs, 0.99)) });
  const success = sum((s) => s.success);
  const failure = sum((s) => s.failure);
  const executions = sum((s) => s.executions);
  const inferences = sum((s) => s.inferences);
  const buckets = new Map<number, PerformancePointDto & { p95s: number[] }>();
  for (const s of samples) {
    for (const [start, requests, errors, rows, p95] of s.buckets) {
      const b = buckets.get(start) ?? { at: new Date(start).toISOString(), requests: 0, errors: 0, rows: 0, p95Ms: null, p95s: [] };
      b.requests += requests;
      b.errors += errors;
      b.rows += rows;
      if (p95 >= 0) b.p95s.push(p95);
      buckets.set(start, b);
    }
  }
  const series = [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, b]) => ({ at: b.at, requests: b.requests, errors: b.errors, rows: b.rows, p95Ms: b.p95s.length ? round(Math.max(...b.p95s)) : null }));
  const minuteAgo = Date.now() - 60_000;
  const lastMinute = series.filter((p) => Date.parse(p.at) >= minuteAgo).reduce((n, p) => n + p.requests, 0);
  return {
    model: samples[0].model,
    ref: samples[0].ref,
    requests: { success, failure },
    inferences,
    executions,
    avgBatchSize: executions ? round(inferences / executions) : 0,
    errorRate: success + failure ? round(failure / (success + failure)) : 0,
    throughputPerSec: round(lastMinute / 60),
    latencyMs: pct(pool((s) => s.latencyMs)),
    queueMs: pct(pool((s) => s.queueMs)),
    computeMs: pct(pool((s) => s.computeMs)),
    series,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
