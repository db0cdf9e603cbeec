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
    const received = performance.now();
    const loaded = await this.table.resolve(req.model, req.version);
    return loaded.use(async (session) => {
      const started = performance.now();
      const { scores, outputs } = await session.predict(req.rows);
      const threshold = loaded.info.threshold;
      return {
        modelVersion: loaded.info.ref,
        scores,
        isAnomaly: threshold === null ? null : scores.map((s) => s >= threshold),
        threshold,
        outputs,
        timings: { queueMs: round(started - received), computeMs: round(performance.now() - started) },
        worker: this.identity.instanceId,
      };
    });
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
