import { Inject, Injectable } from '@nestjs/common';
import type { PredictReply, PredictRequest } from '@loglens/contracts';
import { SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import { ServingTable } from './serving-table.service';

@Injectable()
export class PredictService {
  constructor(
    private readonly table: ServingTable,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  async predict(req: PredictRequest): Promise<PredictReply> {
    const loaded = await this.table.resolve(req.model, req.version);
    return loaded.use(async (v) => {
      const { result, queueMs, computeMs } = await v.batcher.predict(req.rows, { timeoutMs: req.timeoutMs });
      const threshold = v.info.threshold;
      return {
        modelVersion: v.info.ref,
        scores: result.scores,
        // string score outputs (labels) have no order to compare with a threshold
        isAnomaly: threshold === null || !v.session.scoreIsNumeric ? null : result.scores.map((s) => s >= threshold),
        threshold,
        outputs: result.outputs,
        timings: { queueMs: round(queueMs), computeMs: round(computeMs) },
        worker: this.identity.instanceId,
      };
    });
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
