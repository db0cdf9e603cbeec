import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource, type EntityManager } from 'typeorm';
import { formatVersionRef, type HistoryAction, type HistoryEntryDto, type HistoryRequest } from '@loglens/contracts';
import { HistoryEntity } from '../models/history.entity';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelEntity } from '../models/model.entity';

export interface HistoryChange {
  kind: 'serving' | 'alias' | 'binding' | 'experiment' | 'drift';
  alias?: string | null;
  source?: string | null;
  action: HistoryAction;
  fromVersionId: string | null;
  toVersionId: string | null;
  actor: string;
  reason?: string;
}

/** The transfer history: one line per model, numbered without gaps. */
@Injectable()
export class HistoryService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Appends an entry. The caller holds the model's row lock, which is what keeps the numbering gap- and fork-free. */
  async record(m: EntityManager, model: ModelEntity, change: HistoryChange): Promise<HistoryEntity> {
    model.historySeq += 1;
    await m.getRepository(ModelEntity).update({ id: model.id }, { historySeq: model.historySeq });
    return m.getRepository(HistoryEntity).save(
      m.getRepository(HistoryEntity).create({
        modelId: model.id,
        seq: model.historySeq,
        kind: change.kind,
        alias: change.alias ?? null,
        source: change.source ?? null,
        action: change.action,
        fromVersionId: change.fromVersionId,
        toVersionId: change.toVersionId,
        actor: change.actor,
        reason: change.reason ?? '',
        at: new Date(),
      }),
    );
  }

  async list(filter: HistoryRequest): Promise<HistoryEntryDto[]> {
    const qb = this.ds
      .getRepository(HistoryEntity)
      .createQueryBuilder('h')
      .innerJoin(ModelEntity, 'm', 'm.id = h.model_id')
      .limit(filter.limit ?? 200);
    // within one model the sequence is the order of record; across models, time is
    if (filter.model) qb.andWhere('m.name = :name', { name: filter.model }).orderBy('h.seq', 'DESC');
    else qb.orderBy('h.at', 'DESC').addOrderBy('h.seq', 'DESC');
    if (filter.from) qb.andWhere('h.at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('h.at <= :to', { to: filter.to });
    const rows = await qb.getMany();
    return this.toDtos(rows);
  }

  /** The most recent serving-version change of a model. */
  lastServingChange(m: EntityManager, modelId: string): Promise<HistoryEntity | null> {
    return m.getRepository(HistoryEntity).findOne({ where: { modelId, kind: 'serving' }, order: { seq: 'DESC' } });
  }

  private async toDtos(rows: HistoryEntity[]): Promise<HistoryEntryDto[]> {
    const versionIds = [...new Set(rows.flatMap((r) => [r.fromVersionId, r.toVersionId]).filter((x): x is string => !!x))];
    const modelIds = [...new Set(rows.map((r) => r.modelId))];
    const versions = versionIds.length
      ? await this.ds.getRepository(ModelVersionEntity).createQueryBuilder('v').where('v.id IN (:...ids)', { ids: versionIds }).getMany()
      : [];
    const models = modelIds.length
      ? await this.ds.getRepository(ModelEntity).createQueryBuilder('m').where(new Brackets((b) => b.where('m.id IN (:...ids)', { ids: modelIds }))).getMany()
      : [];
    const modelName = new Map(models.map((m) => [m.id, m.name]));
    const ref = new Map(versions.map((v) => [v.id, formatVersionRef(modelName.get(v.modelId) ?? '?', v.version)]));
    return rows.map((r) => ({
      id: r.id,
      seq: r.seq,
      model: modelName.get(r.modelId) ?? '?',
      kind: r.kind,
      alias: r.alias,
      ...(r.kind === 'binding' ? { source: r.source } : {}),
      action: r.action,
      from: r.fromVersionId ? (ref.get(r.fromVersionId) ?? null) : null,
      to: r.toVersionId ? (ref.get(r.toVersionId) ?? null) : null,
      actor: r.actor,
      reason: r.reason,
      at: r.at.toISOString(),
    }));
  }
}
