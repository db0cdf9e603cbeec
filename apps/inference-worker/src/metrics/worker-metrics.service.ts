import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { InferenceSubjects, type WorkerMetricsReply } from '@loglens/contracts';
import { NATS_CONNECTION, SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import { WORKER_ENV, type WorkerEnv } from '../app/worker.env';
import { PerformanceTracker, type SuccessSample } from './performance-tracker';
import { requestMetricsJson, VersionRequestMetrics } from './request-metrics';

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
  /** per-version request figures, kept as plain numbers (see FastHistogram) and exposed at scrape time */
  private readonly versions = new Map<string, VersionRequestMetrics>();
  private readonly loaded = new Gauge({ name: 'loglens_inference_loaded_versions', help: 'Versions loaded in workers', registers: [this.registry] });
  private readonly depth = new Gauge({ name: 'loglens_inference_queue_depth', help: 'Requests waiting for a batch', registers: [this.registry] });
  private sub?: Subscription;
  private live: LiveState = { loadedVersions: () => [], queueDepth: () => 0 };
  private lastCpu = process.cpuUsage();
  private lastCpuAt = Date.now();

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
    @Inject(WORKER_ENV) private readonly env: Pick<WorkerEnv, 'WORKER_POOL'>,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'loglens_worker_' });
  }

  /** The serving table tells the metrics what is loaded and queued (it owns that state). */
  attach(live: LiveState): void {
    this.live = live;
  }

  onModuleInit(): void {
    // the shadow pool's scoring is no serving traffic: its counts would add the control's requests twice
    if (this.env.WORKER_POOL === 'shadow') return;
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
    const v = this.versionOf(model, ref);
    v.success++;
    v.inferences += s.rows;
    v.executions += 1 / Math.max(1, s.batchRequests);
    v.duration.observe(s.latencyMs / 1000);
    v.queue.observe(s.queueMs / 1000);
    v.compute.observe(s.computeMs / 1000);
    this.tracker.recordSuccess(model, ref, s);
  }

  failure(model: string, ref: string, latencyMs: number, code: string): void {
    const v = this.versionOf(model, ref);
    if (code === 'VALIDATION_FAILED') v.badRequest++;
    else v.error++;
    v.duration.observe(latencyMs / 1000);
    this.tracker.recordFailure(model, ref, latencyMs);
  }

  private versionOf(model: string, ref: string): VersionRequestMetrics {
    let v = this.versions.get(ref);
    if (!v) {
      v = new VersionRequestMetrics(model, ref);
      this.versions.set(ref, v);
    }
    return v;
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
      prometheus: [...requestMetricsJson([...this.versions.values()]), ...(await this.registry.getMetricsAsJSON())],
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
