import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NatsConnection } from 'nats';
import type { DataSource, EntityManager } from 'typeorm';
import {
  AGENT_KINDS,
  LogLensError,
  RegistrySubjects,
  type AgentKind,
  type BindSourceRequest,
  type ListBindingsRequest,
  type SourceBindingDto,
  type UnbindSourceRequest,
} from '@loglens/contracts';
import { EventBus, NATS_CONNECTION, agentKindOfSource } from '@loglens/nest-common';
import { HistoryService } from '../history/history.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelEntity } from '../models/model.entity';
import { findModel } from '../models/version-resolver';
import { SourceBindingEntity } from './source-binding.entity';

interface Change {
  binding: SourceBindingDto | null;
  previous: SourceBindingDto | null;
  changed: boolean;
}

/**
 * Source → model bindings: which model an agent scores a source's windows with. Every change is a history entry of
 * the model(s) concerned, written under their row locks like deploys and alias moves, and broadcast after commit.
 */
@Injectable()
export class BindingsService {
  private readonly logger = new Logger(BindingsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly history: HistoryService,
    private readonly bus: EventBus,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  async list(req: ListBindingsRequest): Promise<SourceBindingDto[]> {
    const rows = await this.ds.getRepository(SourceBindingEntity).find({ where: req.agent ? { agent: req.agent } : {}, order: { source: 'ASC' } });
    const names = await this.modelNames(this.ds.manager, rows.map((r) => r.modelId));
    return rows.map((r) => toDto(r, names.get(r.modelId) ?? '?'));
  }

  async bind(req: BindSourceRequest): Promise<SourceBindingDto> {
    // the model must exist before anything else is looked up: an unknown model is a 404, not a guess
    await findModel(this.ds.manager, req.model);
    const agent = req.agent ?? (await this.agentOf(req.model, req.source));
    const change = await this.ds.transaction(async (m): Promise<Change> => {
      const bindings = m.getRepository(SourceBindingEntity);
      const current = await bindings.findOne({ where: { source: req.source } });
      const oldModel = current ? await m.getRepository(ModelEntity).findOneByOrFail({ id: current.modelId }) : null;
      // both models' rows locked in name order, so two opposite re-bindings cannot deadlock
      const names = [...new Set([req.model, ...(oldModel ? [oldModel.name] : [])])].sort();
      const locked = new Map<string, ModelEntity>();
      for (const name of names) locked.set(name, await findModel(m, name, true));
      const model = await findModel(m, req.model);
      const previous = current && oldModel ? toDto(current, oldModel.name) : null;
      if (current && current.modelId === model.id && current.agent === agent) return { binding: previous, previous, changed: false };
      const row = bindings.create({ source: req.source, modelId: model.id, agent, boundBy: req.actor, boundAt: new Date() });
      await bindings.save(row);
      if (oldModel && oldModel.id !== model.id) {
        await this.history.record(m, locked.get(oldModel.name) ?? oldModel, {
          kind: 'binding',
          source: req.source,
          action: 'unbind',
          fromVersionId: null,
          toVersionId: null,
          actor: req.actor,
          reason: req.reason || `source "${req.source}" bound to "${model.name}" instead`,
        });
      }
      await this.history.record(m, model, {
        kind: 'binding',
        source: req.source,
        action: 'bind',
        fromVersionId: null,
        toVersionId: model.servingVersionId,
        actor: req.actor,
        reason: req.reason || (previous ? `was bound to "${previous.model}"` : ''),
      });
      return { binding: toDto(row, model.name), previous, changed: true };
    });
    if (change.changed) this.publish(RegistrySubjects.sourceBound, req.source, change, req.actor);
    if (!change.binding) throw new LogLensError('INTERNAL', `binding "${req.source}" vanished`);
    return change.binding;
  }

  async unbind(req: UnbindSourceRequest): Promise<SourceBindingDto> {
    const previous = await this.ds.transaction(async (m) => {
      const bindings = m.getRepository(SourceBindingEntity);
      const current = await bindings.findOne({ where: { source: req.source } });
      if (!current) throw new LogLensError('NOT_FOUND', `source "${req.source}" is not bound to a model`);
      const model = await m.getRepository(ModelEntity).findOneByOrFail({ id: current.modelId });
      const locked = await findModel(m, model.name, true);
      await bindings.delete({ source: req.source });
      await this.history.record(m, locked, {
        kind: 'binding',
        source: req.source,
        action: 'unbind',
        fromVersionId: null,
        toVersionId: null,
        actor: req.actor,
        reason: req.reason ?? '',
      });
      return toDto(current, model.name);
    });
    this.publish(RegistrySubjects.sourceUnbound, req.source, { binding: null, previous, changed: true }, req.actor);
    return previous;
  }

  /** metadata.agent of the model's latest version, else where the source's logs are, else the base agent. */
  private async agentOf(modelName: string, source: string): Promise<AgentKind> {
    const model = await findModel(this.ds.manager, modelName);
    const latest = await this.ds.getRepository(ModelVersionEntity).findOne({ where: { modelId: model.id }, order: { version: 'DESC' } });
    const declared = latest?.metadata['agent'];
    if (typeof declared === 'string' && (AGENT_KINDS as readonly string[]).includes(declared)) return declared as AgentKind;
    const fromStream = await agentKindOfSource(this.nc, source).catch((e: Error) => {
      this.logger.warn(`could not look up the logs of "${source}": ${e.message}`);
      return null;
    });
    return fromStream ?? 'base';
  }

  private publish(subject: typeof RegistrySubjects.sourceBound | typeof RegistrySubjects.sourceUnbound, source: string, change: Change, actor: string): void {
    this.bus.publish(subject, { source, binding: change.binding, previous: change.previous, actor, at: new Date().toISOString() });
    this.logger.log(`source ${source}: ${change.previous?.model ?? '(default)'} → ${change.binding?.model ?? '(default)'} by ${actor}`);
  }

  private async modelNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const models = await m.getRepository(ModelEntity).createQueryBuilder('m').where('m.id IN (:...ids)', { ids: [...new Set(ids)] }).getMany();
    return new Map(models.map((x) => [x.id, x.name]));
  }
}

function toDto(r: SourceBindingEntity, model: string): SourceBindingDto {
  return { source: r.source, model, agent: r.agent, boundBy: r.boundBy, boundAt: r.boundAt.toISOString() };
}
