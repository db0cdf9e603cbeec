import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  LogLensError,
  RegistrySubjects,
  formatVersionRef,
  overallOutcome,
  type CheckOutcome,
  type ListModelsReply,
  type ModelVersionDto,
  type ServingVersionDto,
  type ValidationReportDto,
} from '@loglens/contracts';
import { ArtifactsService, sha256Hex } from '../artifacts/artifacts.service';
import { ModelSandbox } from '../validation/model-sandbox';
import { ValidationService } from '../validation/validation.service';
import { AliasEntity } from './alias.entity';
import { toModelSummary, toServingDto, toVersionDto, type VersionContext } from './model.mapper';
import { ModelVersionEntity } from './model-version.entity';
import { ModelEntity } from './model.entity';
import { RegistryEvents } from './registry-events';
import { resolveVersionRef } from './version-resolver';
import { enforce, versionFacts } from './version-rules';

export interface NewVersion {
  model: string;
  task?: string;
  description?: string;
  metadata?: Record<string, unknown>;
  createdBy: string;
  bytes: Uint8Array;
  scaler?: Uint8Array | null;
}

export interface RegisteredVersion {
  version: ModelVersionDto;
  duplicateOf: string | null;
  validation: ValidationReportDto | null;
}

@Injectable()
export class ModelsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly artifacts: ArtifactsService,
    private readonly validation: ValidationService,
    private readonly events: RegistryEvents,
    private readonly sandbox: ModelSandbox,
  ) {}

  async list(): Promise<ListModelsReply> {
    const models = await this.ds.getRepository(ModelEntity).find({ order: { name: 'ASC' } });
    const versions = await this.ds.getRepository(ModelVersionEntity).find();
    const aliases = await this.ds.getRepository(AliasEntity).find();
    const outcomes = await this.latestOutcomes();
    return {
      models: models.map((m) =>
        toModelSummary(
          m,
          versions.filter((v) => v.modelId === m.id),
          new Map(aliases.filter((a) => a.modelId === m.id).map((a) => [a.alias, a.versionId])),
          outcomes,
        ),
      ),
    };
  }

  async get(ref: string): Promise<ModelVersionDto> {
    const { model, version } = await resolveVersionRef(this.ds.manager, ref);
    return toVersionDto(model, version, await this.contextOf(version));
  }

  async current(): Promise<ModelVersionDto[]> {
    const pairs = await this.servingPairs();
    return Promise.all(pairs.map(async ([m, v]) => toVersionDto(m, v, await this.contextOf(v))));
  }

  async servingState(): Promise<ServingVersionDto[]> {
    return (await this.servingPairs()).map(([m, v]) => toServingDto(m, v));
  }

  /** The serving binding of any version (a worker loading a pinned reference). */
  async servingInfo(ref: string): Promise<ServingVersionDto> {
    const { model, version } = await resolveVersionRef(this.ds.manager, ref);
    // only what passed validation and is not archived is ever served, pinned or not
    enforce('serve-pinned', versionFacts(model, version, [], ref));
    return toServingDto(model, version);
  }

  /**
   * Registers bytes as the next version of a model. The limits, decoding, static checks and a test inference run
   * first, in the sandbox; a failing limit or static check refuses the upload (nothing is stored); then the artifact
   * is stored and a worker runs a second test inference. The same bytes twice give
   * back the existing version.
   */
  async register(input: NewVersion): Promise<RegisteredVersion> {
    if (input.bytes.byteLength === 0) throw new LogLensError('VALIDATION_FAILED', 'the model file is empty');
    // never decoded here: limits first, then decoding and a test inference in a child process (ModelSandbox)
    const { checks, facts } = await this.sandbox.examine({ bytes: input.bytes, metadata: input.metadata ?? {}, scaler: input.scaler ?? null, ref: `${input.model}@upload` });
    // a file the limits, the decoder or the static checks refuse is not stored; a failed test inference (the
    // sandbox check) is stored as an invalid version with its report, as a failed worker test inference always was
    if (!facts || overallOutcome(checks.filter((c) => c.check !== 'sandbox')) === 'fail') {
      const failed = checks.filter((c) => c.outcome === 'fail');
      throw LogLensError.invalidModel(`model refused: ${failed.map((c) => c.message).join(' ')}`, checks);
    }
    const sha256 = sha256Hex(input.bytes);
    const stored = await this.ds.transaction(async (m) => {
      await m
        .createQueryBuilder()
        .insert()
        .into(ModelEntity)
        .values({ name: input.model, task: input.task ?? 'log-anomaly', description: input.description ?? '', owner: input.createdBy })
        .orIgnore()
        .execute();
      // the row lock serialises version numbering per model across registry instances
      const model = await m.getRepository(ModelEntity).findOneOrFail({ where: { name: input.model }, lock: { mode: 'pessimistic_write' } });
      const versions = m.getRepository(ModelVersionEntity);
      const duplicate = await versions.findOne({ where: { modelId: model.id, artifactSha256: sha256 } });
      if (duplicate) return { model, version: duplicate, duplicate: true };
      await this.artifacts.store(input.bytes, m);
      const scaler = input.scaler ? await this.artifacts.store(input.scaler, m) : null;
      const last = await versions.findOne({ where: { modelId: model.id }, order: { version: 'DESC' } });
      const version = await versions.save(
        versions.create({
          modelId: model.id,
          version: (last?.version ?? 0) + 1,
          status: 'registered',
          artifactSha256: sha256,
          sizeBytes: input.bytes.byteLength,
          irVersion: facts.inspection.irVersion,
          opsets: facts.inspection.opsets,
          producer: `${facts.inspection.producerName} ${facts.inspection.producerVersion}`.trim().slice(0, 128),
          signature: facts.signature,
          featureSchema: facts.featureSchema,
          inputName: facts.inputName,
          scoreOutput: facts.scoreOutput,
          threshold: facts.threshold,
          metadata: facts.extra,
          tags: Array.isArray(facts.extra['tags']) ? (facts.extra['tags'] as unknown[]).filter((t): t is string => typeof t === 'string') : [],
          scalerSha256: scaler?.sha256 ?? null,
          createdBy: input.createdBy,
        }),
      );
      return { model, version, duplicate: false };
    });
    const ref = formatVersionRef(stored.model.name, stored.version.version);
    if (stored.duplicate) {
      return { version: toVersionDto(stored.model, stored.version, await this.contextOf(stored.version)), duplicateOf: ref, validation: null };
    }
    this.events.lifecycle(RegistrySubjects.versionRegistered, { model: stored.model.name, ref, actor: input.createdBy });
    const report = await this.validation.complete(stored.model, stored.version, checks, facts, input.createdBy);
    return { version: toVersionDto(stored.model, stored.version, await this.contextOf(stored.version)), duplicateOf: null, validation: report };
  }

  private async contextOf(version: ModelVersionEntity): Promise<VersionContext> {
    const aliases = await this.ds.getRepository(AliasEntity).find({ where: { versionId: version.id } });
    const outcomes = await this.latestOutcomes([version.id]);
    return { aliases: aliases.map((a) => a.alias).sort(), validation: outcomes.get(version.id) ?? null };
  }

  private async latestOutcomes(versionIds?: string[]): Promise<Map<string, CheckOutcome>> {
    const table = this.ds.getMetadata('ValidationReportEntity');
    const qualified = table.schema ? `"${table.schema}"."${table.tableName}"` : `"${table.tableName}"`;
    const rows: Array<{ version_id: string; outcome: CheckOutcome }> = await this.ds.query(
      `SELECT DISTINCT ON (version_id) version_id, outcome FROM ${qualified}
       ${versionIds ? 'WHERE version_id = ANY($1)' : ''} ORDER BY version_id, created_at DESC`,
      versionIds ? [versionIds] : [],
    );
    return new Map(rows.map((r) => [r.version_id, r.outcome]));
  }

  private async servingPairs(): Promise<Array<[ModelEntity, ModelVersionEntity]>> {
    const models = await this.ds.getRepository(ModelEntity).find({ order: { name: 'ASC' } });
    const pairs: Array<[ModelEntity, ModelVersionEntity]> = [];
    for (const m of models) {
      if (!m.servingVersionId) continue;
      pairs.push([m, await this.ds.getRepository(ModelVersionEntity).findOneByOrFail({ id: m.servingVersionId })]);
    }
    return pairs;
  }
}
