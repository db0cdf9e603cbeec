import { Inject, Injectable } from '@nestjs/common';
import { LogLensError, type InferReply, type InferRequest, type PredictReply, type PredictRequest } from '@loglens/contracts';
import { SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import { WorkerMetrics } from '../metrics/worker-metrics.service';
import type { LoadedVersion } from './loaded-version';
import { ServingTable } from './serving-table.service';

/** Client mistakes and back-pressure say nothing about a version's health. */
const NOT_THE_MODELS_FAULT = new Set(['VALIDATION_FAILED', 'NOT_FOUND', 'OVERLOADED', 'TIMEOUT']);

export type PredictCallback = (error: Error | null, reply?: PredictReply) => void;

@Injectable()
export class PredictService {
  constructor(
    private readonly table: ServingTable,
    private readonly metrics: WorkerMetrics,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  /**
   * Predict without a promise per request when the version is already served (the hot path: the responder answers
   * from `done`); otherwise the same through `resolve`, which may load a pinned version or ask the registry.
   */
  predictWith(req: PredictRequest, done: PredictCallback): void {
    const loaded = this.table.lookup(req.model, req.version);
    if (loaded) return this.predictOn(loaded, req, done);
    const attempt = (again: boolean): void => {
      this.table.resolve(req.model, req.version).then(
        // released while the lookup waited (a pinned alias moved, an eviction): resolve once more, checked and
        // acquired in the same turn, so the session cannot be closed in between
        (v) => (v.isRetiring && again ? attempt(false) : this.predictOn(v, req, done)),
        (e: Error) => done(e),
      );
    };
    attempt(true);
  }

  private predictOn(loaded: LoadedVersion, req: PredictRequest, done: PredictCallback): void {
    const started = performance.now();
    const { model, ref } = loaded.info;
    loaded.acquire();
    loaded.batcher.predictWith(req.rows, { timeoutMs: req.timeoutMs ?? undefined }, (outcome) => {
      loaded.release();
      if (outcome instanceof Error) {
        const code = outcome instanceof LogLensError ? outcome.code : 'INTERNAL';
        this.metrics.failure(model, ref, performance.now() - started, code);
        if (!NOT_THE_MODELS_FAULT.has(code)) this.table.noteOutcome(loaded, false);
        return done(outcome);
      }
      const { result, queueMs, computeMs, batchRequests } = outcome;
      this.metrics.success(model, ref, { rows: req.rows.length, latencyMs: performance.now() - started, queueMs, computeMs, batchRequests });
      this.table.noteOutcome(loaded, true);
      const threshold = loaded.info.threshold;
      done(null, {
        modelVersion: ref,
        scores: result.scores,
        // string score outputs (labels) have no order to compare with a threshold
        isAnomaly: threshold === null || !loaded.session.scoreIsNumeric ? null : result.scores.map((s) => s >= threshold),
        threshold,
        outputs: result.outputs,
        timings: { queueMs: round(queueMs), computeMs: round(computeMs) },
        worker: this.identity.instanceId,
      });
    });
  }
}

/** Typed tensors straight to the session (KServe v2): no row mapping, no batching across callers. */
@Injectable()
export class InferService {
  constructor(
    private readonly table: ServingTable,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  async infer(req: InferRequest): Promise<InferReply> {
    const loaded = await this.table.resolve(req.model, req.version);
    return loaded.use(async (v) => {
      const started = performance.now();
      const outputs = await v.session.infer(req.inputs, req.outputs);
      return { modelVersion: v.info.ref, outputs, timings: { computeMs: round(performance.now() - started) }, worker: this.identity.instanceId };
    });
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
