import { Inject, Injectable } from '@nestjs/common';
import type { ValidateArtifactReply, ValidateArtifactRequest } from '@loglens/contracts';
import { OnnxModelSession } from '@loglens/model-runtime';
import { SERVICE_IDENTITY, type ServiceIdentity } from '@loglens/nest-common';
import { ArtifactFetcher } from './artifact-fetcher';

/** The validation's last check: load an artifact in a real worker, run one row, release it. Never throws. */
@Injectable()
export class ArtifactValidator {
  constructor(
    private readonly fetcher: ArtifactFetcher,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  async validate(req: ValidateArtifactRequest): Promise<ValidateArtifactReply> {
    const base = { worker: this.identity.instanceId, tensorOutputs: [] as string[], fixedBatch: null as number | null };
    let session: OnnxModelSession | null = null;
    try {
      const bytes = await this.fetcher.fetch(req.sha256, req.sizeBytes);
      session = await OnnxModelSession.create(bytes, {
        ref: req.ref,
        inputName: req.inputName,
        scoreOutput: req.scoreOutput,
        featureNames: req.featureNames ?? null,
      });
      const result = await session.smokeTest({ width: req.width ?? req.featureNames?.length ?? undefined, baselineRow: req.baselineRow });
      const signature = session.signature;
      const tensorOutputs = signature.outputs.filter((o) => o.isTensor).map((o) => o.name);
      return result.ok
        ? { ...base, ok: true, latencyMs: result.latencyMs, error: null, tensorOutputs, fixedBatch: session.fixedBatch }
        : { ...base, ok: false, latencyMs: null, error: result.error, tensorOutputs, fixedBatch: session.fixedBatch };
    } catch (e) {
      return { ...base, ok: false, latencyMs: null, error: (e as Error).message };
    } finally {
      await session?.release().catch(() => undefined);
    }
  }
}
