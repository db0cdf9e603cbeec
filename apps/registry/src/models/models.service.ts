import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  INLINE_ARTIFACT_MAX_BYTES,
  LogLensError,
  formatVersionRef,
  type ListModelsReply,
  type ModelVersionDto,
  type RegisterVersionReply,
  type RegisterVersionRequest,
  type ServingVersionDto,
} from '@loglens/contracts';
import { ArtifactsService, sha256Hex } from '../artifacts/artifacts.service';
import { readServingFacts } from './artifact-metadata';
import { toModelSummary, toServingDto, toVersionDto } from './model.mapper';
import { ModelVersionEntity } from './model-version.entity';
import { ModelEntity } from './model.entity';
import { resolveVersionRef } from './version-resolver';

@Injectable()
export class ModelsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly artifacts: ArtifactsService,
  ) {}

  async list(): Promise<ListModelsReply> {
    const models = await this.ds.getRepository(ModelEntity).find({ order: { name: 'ASC' } });
    const versions = await this.ds.getRepository(ModelVersionEntity).find();
    return { models: models.map((m) => toModelSummary(m, versions.filter((v) => v.modelId === m.id))) };
  }

  async get(ref: string): Promise<ModelVersionDto> {
    const { model, version } = await resolveVersionRef(this.ds.manager, ref);
    return toVersionDto(model, version);
  }

  async current(): Promise<ModelVersionDto[]> {
    return (await this.servingPairs()).map(([m, v]) => toVersionDto(m, v));
  }

  async servingState(): Promise<ServingVersionDto[]> {
    return (await this.servingPairs()).map(([m, v]) => toServingDto(m, v));
  }

  /** Registers bytes as the next version of a model; the same bytes twice give back the existing version. */
  async register(req: RegisterVersionRequest): Promise<RegisterVersionReply> {
    const bytes = Buffer.from(req.artifactBase64, 'base64');
    if (bytes.byteLength === 0) throw new LogLensError('VALIDATION_FAILED', 'artifactBase64 decodes to zero bytes');
    if (bytes.byteLength > INLINE_ARTIFACT_MAX_BYTES) {
      throw new LogLensError(
        'PAYLOAD_TOO_LARGE',
        `inline artifacts are limited to ${INLINE_ARTIFACT_MAX_BYTES} bytes (got ${bytes.byteLength}); upload larger models through the gateway`,
      );
    }
    const facts = readServingFacts(bytes, req.metadata ?? {});
    const sha256 = sha256Hex(bytes);

    return this.ds.transaction(async (m) => {
      await m
        .createQueryBuilder()
        .insert()
        .into(ModelEntity)
        .values({ name: req.model, task: req.task ?? 'log-anomaly', description: req.description ?? '', owner: req.createdBy })
        .orIgnore()
        .execute();
      // the row lock serialises version numbering per model across registry instances
      const model = await m.getRepository(ModelEntity).findOneOrFail({ where: { name: req.model }, lock: { mode: 'pessimistic_write' } });
      const versions = m.getRepository(ModelVersionEntity);
      const duplicate = await versions.findOne({ where: { modelId: model.id, artifactSha256: sha256 } });
      if (duplicate) return { version: toVersionDto(model, duplicate), duplicateOf: formatVersionRef(model.name, duplicate.version) };

      await this.artifacts.store(bytes, m);
      const last = await versions.findOne({ where: { modelId: model.id }, order: { version: 'DESC' } });
      const saved = await versions.save(
        versions.create({
          modelId: model.id,
          version: (last?.version ?? 0) + 1,
          status: 'registered',
          artifactSha256: sha256,
          sizeBytes: bytes.byteLength,
          irVersion: facts.inspection.irVersion,
          opsets: facts.inspection.opsets,
          producer: `${facts.inspection.producerName} ${facts.inspection.producerVersion}`.trim().slice(0, 128),
          signature: facts.signature,
          featureSchema: facts.featureSchema,
          inputName: facts.inputName,
          scoreOutput: facts.scoreOutput,
          threshold: facts.threshold,
          metadata: facts.extra,
          createdBy: req.createdBy,
        }),
      );
      return { version: toVersionDto(model, saved), duplicateOf: null };
    });
  }

  private async servingPairs(): Promise<Array<[ModelEntity, ModelVersionEntity]>> {
    const models = await this.ds.getRepository(ModelEntity).find({ order: { name: 'ASC' } });
    const pairs: Array<[ModelEntity, ModelVersionEntity]> = [];
    for (const m of models) {
      if (!m.servingVersionId) continue;
      const v = await this.ds.getRepository(ModelVersionEntity).findOneOrFail({ where: { id: m.servingVersionId } });
      pairs.push([m, v]);
    }
    return pairs;
  }
}
