import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  LogLensError,
  checkExpectedCurrent,
  formatVersionRef,
  type DeployAction,
  type DeployVersionReply,
  type VersionDeployedEvent,
} from '@loglens/contracts';
import { refuseWhileExperimentRuns } from '../experiments/active-experiment';
import { HistoryService } from '../history/history.service';
import { toServingDto } from './model.mapper';
import { ModelVersionEntity } from './model-version.entity';
import { ModelEntity } from './model.entity';
import { RegistryEvents } from './registry-events';
import { findModel, resolveVersionRef } from './version-resolver';
import { enforce, versionFacts } from './version-rules';

export interface SwitchResult {
  reply: DeployVersionReply;
  event: VersionDeployedEvent | null;
}

/**
 * Changes which version serves. Every change runs under the model's row lock, so concurrent deploys, rollbacks
 * and fallbacks of one model apply one after another and the history stays a single line.
 */
@Injectable()
export class DeploymentsService {
  private readonly logger = new Logger(DeploymentsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly history: HistoryService,
    private readonly events: RegistryEvents,
  ) {}

  /** `expectedCurrent`: the version the caller saw serving; checked under the model's lock (CONFLICT when it moved). */
  async deploy(ref: string, actor: string, reason = '', expectedCurrent?: string): Promise<DeployVersionReply> {
    const result = await this.ds.transaction(async (m) => {
      const { model, version } = await resolveVersionRef(m, ref, true);
      await refuseWhileExperimentRuns(m, model, 'deploy');
      await this.checkServing(m, model, expectedCurrent);
      return this.switchServing(m, model, version, 'deploy', actor, reason);
    });
    return this.published(result);
  }

  /** Serves the version that served before the current one (or `to`). */
  async rollback(modelName: string, to: string | undefined, actor: string, reason = '', expectedCurrent?: string): Promise<DeployVersionReply> {
    const result = await this.ds.transaction(async (m) => {
      const model = await findModel(m, modelName, true);
      await refuseWhileExperimentRuns(m, model, 'rollback');
      // without it, a rollback repeated by a retrying client flips between two versions (@3 → @2 → @3)
      await this.checkServing(m, model, expectedCurrent);
      let target: ModelVersionEntity;
      if (to) {
        const resolved = await resolveVersionRef(m, to.includes('@') ? to : `${modelName}@${to}`);
        if (resolved.model.id !== model.id) throw new LogLensError('VALIDATION_FAILED', `${to} is not a version of "${modelName}"`);
        target = resolved.version;
      } else {
        const last = await this.history.lastServingChange(m, model.id);
        if (!last?.fromVersionId || last.toVersionId !== model.servingVersionId) {
          throw new LogLensError('CONFLICT', `model "${modelName}" has no previous serving version to roll back to`);
        }
        target = await m.getRepository(ModelVersionEntity).findOneByOrFail({ id: last.fromVersionId });
      }
      return this.switchServing(m, model, target, 'rollback', actor, reason || 'rollback');
    });
    return this.published(result);
  }

  /**
   * A worker could not serve `failedRef`: serve the previous version again and say why in the history. Idempotent:
   * when several workers report the same failure, only the first finds the version still serving.
   */
  async fallback(failedRef: string, reason: string, worker: string): Promise<DeployVersionReply | null> {
    const result = await this.ds.transaction(async (m): Promise<SwitchResult | null> => {
      const { model, version } = await resolveVersionRef(m, failedRef, true);
      if (model.servingVersionId !== version.id) return null;
      const last = await this.history.lastServingChange(m, model.id);
      if (!last?.fromVersionId) {
        this.logger.warn(`${failedRef} failed in ${worker} but there is no previous version to fall back to`);
        return null;
      }
      const previous = await m.getRepository(ModelVersionEntity).findOneByOrFail({ id: last.fromVersionId });
      const result = await this.switchServing(m, model, previous, 'fallback', `worker:${worker}`, reason);
      await m.getRepository(ModelVersionEntity).update({ id: version.id }, { status: 'invalid' });
      return result;
    });
    return result ? this.published(result) : null;
  }

  private async checkServing(m: EntityManager, model: ModelEntity, expectedCurrent: string | undefined): Promise<void> {
    if (expectedCurrent === undefined) return;
    const serving = model.servingVersionId ? await m.getRepository(ModelVersionEntity).findOneByOrFail({ id: model.servingVersionId }) : null;
    checkExpectedCurrent(expectedCurrent, model.name, serving?.version ?? null, `model "${model.name}"`);
  }

  /** Publishes after commit: a worker that reacts at once must find the new state in the database. */
  published(result: SwitchResult): DeployVersionReply {
    const e = result.event;
    if (e) {
      this.events.deployed(e);
      this.logger.log(`${e.model}: ${e.previousRef ?? '(none)'} → ${e.serving.ref} (${e.action} by ${e.actor})`);
    }
    return result.reply;
  }

  /** Switches the serving version; the caller holds the model's row lock and publishes the result after commit. */
  async switchServing(
    m: EntityManager,
    model: ModelEntity,
    version: ModelVersionEntity,
    action: DeployAction,
    actor: string,
    reason: string,
  ): Promise<SwitchResult> {
    const to = formatVersionRef(model.name, version.version);
    enforce(action === 'fallback' ? 'fallback-target' : action === 'rollback' ? 'rollback-target' : 'deploy', versionFacts(model, version));
    const versions = m.getRepository(ModelVersionEntity);
    const previous = model.servingVersionId ? await versions.findOneByOrFail({ id: model.servingVersionId }) : null;
    const from = previous ? formatVersionRef(model.name, previous.version) : null;
    if (previous?.id === version.id) {
      return { reply: { model: model.name, from, to, deployedAt: (model.servingSince ?? new Date()).toISOString() }, event: null };
    }
    const now = new Date();
    if (previous) await versions.update({ id: previous.id }, { status: 'retired' });
    await versions.update({ id: version.id }, { status: 'serving' });
    await m.getRepository(ModelEntity).update({ id: model.id }, { servingVersionId: version.id, servingSince: now });
    model.servingVersionId = version.id;
    model.servingSince = now;
    await this.history.record(m, model, { kind: 'serving', action, fromVersionId: previous?.id ?? null, toVersionId: version.id, actor, reason });
    return {
      reply: { model: model.name, from, to, deployedAt: now.toISOString() },
      event: { model: model.name, serving: toServingDto(model, version), previousRef: from, action, actor, at: now.toISOString() },
    };
  }
}
