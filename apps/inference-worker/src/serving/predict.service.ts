import { Inject, Injectable } from '@nestjs/common';
import { LogLensError, type InferReply, type InferRequest, type PredictReply, type PredictRequest } from '@loglens/contracts';
import { SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import { WorkerMetrics } from '../metrics/worker-metrics.service';
import { ServingTable } from './serving-table.service';

/** Client mistakes and back-pressure say nothing about a version's health. */
const NOT_THE_MODELS_FAULT = new Set(['VALIDATION_FAILED', 'NOT_FOUND', 'OVERLOADED', 'TIMEOUT']);

@Injectable()
export class PredictService {
  constructor(
    private readonly table: ServingTable,
    private readonly metrics: WorkerMetrics,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  async predict(req: PredictRequest): Promise<PredictReply> {
    const loaded = await this.table.resolve(req.model, req.version);
    const started = performance.now();
    const { model, ref } = loaded.info;
    try {
      const reply = await loaded.use(async (v) => {
        const { result, queueMs, computeMs, batchRequests } = await v.batcher.predict(req.rows, { timeoutMs: req.timeoutMs });
        const threshold = v.info.threshold;
        this.metrics.success(model, ref, { rows: req.rows.length, latencyMs: performance.now() - started, queueMs, computeMs, batchRequests });
        return {
          modelVersion: ref,
          scores: result.scores,
          // string score outputs (labels) have no order to compare with a threshold
          isAnomaly: threshold === null || !v.session.scoreIsNumeric ? null : result.scores.map((s) => s >= threshold),
          threshold,
          outputs: result.outputs,
          timings: { queueMs: round(queueMs), computeMs: round(computeMs) },
          worker: this.identity.instanceId,
        };
      });
      this.table.noteOutcome(loaded, true);
      return reply;
    } catch (e) {
      const code = e instanceof LogLensError ? e.code : 'INTERNAL';
      this.metrics.failure(model, ref, performance.now() - started, code);
      if (!NOT_THE_MODELS_FAULT.has(code)) this.table.noteOutcome(loaded, false);
      throw e;
    }
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
