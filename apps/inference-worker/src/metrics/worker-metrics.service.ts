import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { InferenceSubjects, type WorkerMetricsReply } from '@loglens/contracts';
import { NATS_CONNECTION, SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import { PerformanceTracker, type SuccessSample } from './performance-tracker';

/** Request-duration buckets (seconds): sub-millisecond hops up to multi-second batches. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface LiveState {
  loadedVersions(): string[];
  queueDepth(): number;
}

/**
 * Prometheus metrics (names `loglens_inference_*`) and the performance tracker of one worker. The gateway collects
 * every worker's figures with a scatter-gather on `inference.metrics.v1` and serves them at /metrics and
 * /model-management/performance.
 */
@Injectable()
export class WorkerMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WorkerMetrics.name);
  readonly registry = new Registry();
  readonly tracker = new PerformanceTracker();
  private readonly requests = new Counter({ name: 'loglens_inference_requests_total', help: 'Predict requests by outcome', labelNames: ['model', 'version', 'outcome'], registers: [this.registry] });
  private readonly inferences = new Counter({ name: 'loglens_inference_count_total', help: 'Rows scored (inferences)', labelNames: ['model', 'version'], registers: [this.registry] });
  private readonly executions = new Counter({ name: 'loglens_inference_exec_count_total', help: 'onnxruntime runs (inferences / executions = average batch size)', labelNames: ['model', 'version'], registers: [this.registry] });
  private readonly duration = new Histogram({ name: 'loglens_inference_request_duration_seconds', help: 'Predict request duration inside the worker', labelNames: ['model', 'version'], buckets: DURATION_BUCKETS, registers: [this.registry] });
  private readonly queue = new Histogram({ name: 'loglens_inference_queue_duration_seconds', help: 'Time waiting for a batch', labelNames: ['model', 'version'], buckets: DURATION_BUCKETS, registers: [this.registry] });
  private readonly compute = new Histogram({ name: 'loglens_inference_compute_duration_seconds', help: 'onnxruntime run time of the batch a request was in', labelNames: ['model', 'version'], buckets: DURATION_BUCKETS, registers: [this.registry] });
  private readonly loaded = new Gauge({ name: 'loglens_inference_loaded_versions', help: 'Versions loaded in workers', registers: [this.registry] });
  private readonly depth = new Gauge({ name: 'loglens_inference_queue_depth', help: 'Requests waiting for a batch', registers: [this.registry] });
  private sub?: Subscription;
  private live: LiveState = { loadedVersions: () => [], queueDepth: () => 0 };
  private lastCpu = process.cpuUsage();
  private lastCpuAt = Date.now();

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'loglens_worker_' });
  }

  /** The serving table tells the metrics what is loaded and queued (it owns that state). */
  attach(live: LiveState): void {
    this.live = live;
  }

  onModuleInit(): void {
    this.sub = this.nc.subscribe(InferenceSubjects.metrics, {
      callback: (_err, msg) => {
        if (!msg.reply) return;
        void this.reply()
          .then((r) => msg.respond(new TextEncoder().encode(JSON.stringify(r))))
          .catch((e: unknown) => this.logger.error(`metrics reply failed: ${(e as Error).message}`));
      },
    });
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
  }

  success(model: string, ref: string, s: SuccessSample): void {
    const c = this.childrenOf(model, ref);
    c.ok.inc();
    c.inferences.inc(s.rows);
    c.executions.inc(1 / Math.max(1, s.batchRequests));
    c.duration.observe(s.latencyMs / 1000);
    c.queue.observe(s.queueMs / 1000);
    c.compute.observe(s.computeMs / 1000);
    this.tracker.recordSuccess(model, ref, s);
  }

  /** Label children bound once per version: prom-client hashes and checks a label object on every call otherwise. */
  private childrenOf(model: string, ref: string) {
    let c = this.children.get(ref);
    if (!c) {
      const labels = { model, version: ref };
      c = {
        ok: this.requests.labels({ ...labels, outcome: 'success' }),
        inferences: this.inferences.labels(labels),
        executions: this.executions.labels(labels),
        duration: this.duration.labels(labels),
        queue: this.queue.labels(labels),
        compute: this.compute.labels(labels),
      };
      this.children.set(ref, c);
    }
    return c;
  }

  private readonly children = new Map<
    string,
    {
      ok: ReturnType<Counter['labels']>;
      inferences: ReturnType<Counter['labels']>;
      executions: ReturnType<Counter['labels']>;
      duration: ReturnType<Histogram['labels']>;
      queue: ReturnType<Histogram['labels']>;
      compute: ReturnType<Histogram['labels']>;
    }
  >();

  failure(model: string, ref: string, latencyMs: number, code: string): void {
    this.requests.inc({ model, version: ref, outcome: code === 'VALIDATION_FAILED' ? 'bad_request' : 'error' });
    this.duration.observe({ model, version: ref }, latencyMs / 1000);
    this.tracker.recordFailure(model, ref, latencyMs);
  }

  private async reply(): Promise<WorkerMetricsReply> {
    const loaded = this.live.loadedVersions();
    this.loaded.set(loaded.length);
    this.depth.set(this.live.queueDepth());
    return {
      instanceId: this.identity.instanceId,
      rssBytes: process.memoryUsage().rss,
      cpuPercent: this.cpuPercent(),
      loadedVersions: loaded,
      queueDepth: this.live.queueDepth(),
      versions: this.tracker.snapshot(),
      prometheus: await this.registry.getMetricsAsJSON(),
    };
  }

  private cpuPercent(): number {
    const now = Date.now();
    const used = process.cpuUsage(this.lastCpu);
    const elapsedMs = Math.max(1, now - this.lastCpuAt);
    this.lastCpu = process.cpuUsage();
    this.lastCpuAt = now;
    return Math.round(((used.user + used.system) / 1000 / elapsedMs) * 1000) / 10;
  }
}
