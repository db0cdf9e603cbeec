import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LogLensError, RegistrySubjects, checkExpectedCurrent, formatVersionRef, type AliasReply } from '@loglens/contracts';
import { HistoryService } from '../history/history.service';
import { AliasEntity } from '../models/alias.entity';
import { ModelVersionEntity } from '../models/model-version.entity';
import { RegistryEvents } from '../models/registry-events';
import { findModel, resolveVersionRef } from '../models/version-resolver';
import { enforce, versionFacts } from '../models/version-rules';

/** Aliases (`production`, `staging`, `champion`, `challenger`, user-defined), each move in the history. */
@Injectable()
export class AliasesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly history: HistoryService,
    private readonly events: RegistryEvents,
  ) {}

  async set(modelName: string, alias: string, ref: string, actor: string, reason = '', expectedCurrent?: string): Promise<AliasReply> {
    const reply = await this.ds.transaction(async (m) => {
      const model = await findModel(m, modelName, true);
      const { model: owner, version } = await resolveVersionRef(m, ref.includes('@') ? ref : `${modelName}@${ref}`);
      const to = formatVersionRef(model.name, version.version);
      if (owner.id !== model.id) throw new LogLensError('VALIDATION_FAILED', `${ref} is not a version of "${modelName}"`);
      enforce('alias-target', versionFacts(model, version));
      const aliases = m.getRepository(AliasEntity);
      const current = await aliases.findOne({ where: { modelId: model.id, alias } });
      const fromVersion = current ? await m.getRepository(ModelVersionEntity).findOneBy({ id: current.versionId }) : null;
      const from = fromVersion ? formatVersionRef(model.name, fromVersion.version) : null;
      checkExpectedCurrent(expectedCurrent, model.name, fromVersion?.version ?? null, `alias ${model.name}@${alias}`);
      if (current?.versionId === version.id) return { model: model.name, alias, from, to };
      await aliases.save({ modelId: model.id, alias, versionId: version.id, updatedBy: actor });
      await this.history.record(m, model, {
        kind: 'alias',
        alias,
        action: 'alias-set',
        fromVersionId: current?.versionId ?? null,
        toVersionId: version.id,
        actor,
        reason,
      });
      return { model: model.name, alias, from, to };
    });
    if (reply.from !== reply.to) this.events.lifecycle(RegistrySubjects.aliasChanged, { model: reply.model, ref: reply.to ?? '', actor, detail: { alias, from: reply.from } });
    return reply;
  }

  async delete(modelName: string, alias: string, actor: string, expectedCurrent?: string): Promise<AliasReply> {
    const reply = await this.ds.transaction(async (m) => {
      const model = await findModel(m, modelName, true);
      const aliases = m.getRepository(AliasEntity);
      const current = await aliases.findOne({ where: { modelId: model.id, alias } });
      if (!current) throw new LogLensError('NOT_FOUND', `${modelName}@${alias}: model "${modelName}" has no alias "${alias}"`);
      const version = await m.getRepository(ModelVersionEntity).findOneByOrFail({ id: current.versionId });
      checkExpectedCurrent(expectedCurrent, model.name, version.version, `alias ${model.name}@${alias}`);
      await aliases.delete({ modelId: model.id, alias });
      await this.history.record(m, model, { kind: 'alias', alias, action: 'alias-delete', fromVersionId: version.id, toVersionId: null, actor });
      return { model: model.name, alias, from: formatVersionRef(model.name, version.version), to: null };
    });
    this.events.lifecycle(RegistrySubjects.aliasChanged, { model: reply.model, ref: reply.from ?? '', actor, detail: { alias, deleted: true } });
    return reply;
  }
}
