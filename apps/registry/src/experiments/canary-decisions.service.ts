import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ExperimentDto, ExperimentStepDto } from '@loglens/contracts';
import { decideCanary, summarizeArm } from '@loglens/experiments';
import { DeploymentsService, type SwitchResult } from '../models/deployments.service';
import { ModelEntity } from '../models/model.entity';
import { ExperimentEntity } from './experiment.entity';
import { ExperimentsService } from './experiments.service';

/** How often the registry looks for canaries whose check is due. */
export const CANARY_TICK_MS = 500;

/**
 * Automatic canary decisions: every `intervalSec` a running canary's interval counts are checked against its
 * criteria; the candidate steps up, holds (a failed check), is promoted at maxWeight, or rolled back to weight 0
 * after `failureThreshold` failed checks. Every instance ticks; the model's row lock and the re-read of `checked_at`
 * make one of them decide each check.
 */
@Injectable()
export class CanaryDecisionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CanaryDecisionsService.name);
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly experiments: ExperimentsService,
    private readonly deployments: DeploymentsService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), CANARY_TICK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const due = await this.ds
        .getRepository(ExperimentEntity)
        .createQueryBuilder('e')
        .select(['e.id'])
        .where(`e.state = 'running' AND e.kind = 'canary'`)
        .andWhere(`e.checked_at + make_interval(secs => (e.canary->>'intervalSec')::int) <= now()`)
        .getMany();
      for (const { id } of due) await this.check(id).catch((err: unknown) => this.logger.error(`canary check of ${id} failed: ${(err as Error).message}`));
    } catch (err) {
      this.logger.warn(`canary tick failed: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  /** One check of one canary, under the model's lock. */
  async check(id: string): Promise<void> {
    let deployed: SwitchResult | null = null;
    const changed = await this.ds.transaction(async (m): Promise<{ dto: ExperimentDto; action: ExperimentStepDto['action'] } | null> => {
      const found = await m.getRepository(ExperimentEntity).findOneBy({ id });
      if (!found) return null;
      const model = await m.getRepository(ModelEntity).findOneOrFail({ where: { id: found.modelId }, lock: { mode: 'pessimistic_write' } });
      const e = await m.getRepository(ExperimentEntity).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      const canary = e.canary;
      if (e.state !== 'running' || e.kind !== 'canary' || !canary) return null;
      if (e.checkedAt.getTime() + canary.intervalSec * 1000 > Date.now()) return null;
      const [control, candidate] = e.interval;
      const arm = e.candidates[0];
      const d = decideCanary(canary, e.criteria, { weight: arm.weight, failedChecks: e.failedChecks }, { control, candidate });
      if (d.action === 'wait') return null;
      const c = summarizeArm(candidate);
      const k = summarizeArm(control);
      const figures = `candidate ${c.requests} requests, error rate ${c.errorRate.toFixed(4)}, p99 ${c.p99Ms} ms; control ${k.requests} requests, error rate ${k.errorRate.toFixed(4)}, p99 ${k.p99Ms} ms`;
      const actor = 'registry:canary';
      const now = new Date();
      e.failedChecks = d.failedChecks;
      e.checkedAt = now;
      e.updatedAt = now;
      e.interval = this.experiments.emptyCounts(model.name, e.controlVersion, e.candidates);
      switch (d.action) {
        case 'step':
          arm.weight = d.weight;
          this.experiments.step(model, e, 'step', actor, `${d.reason} (${figures})`, now);
          await this.experiments.record(m, model, e, 'exp-step', null, actor, `weight ${d.weight}% (${figures})`);
          break;
        case 'hold':
          this.experiments.step(model, e, 'hold', actor, `failed check ${d.failedChecks} of ${canary.failureThreshold}: ${d.reason} (${figures})`, now);
          await this.experiments.record(m, model, e, 'exp-step', null, actor, `hold at ${arm.weight}%, failed check ${d.failedChecks} of ${canary.failureThreshold}: ${d.reason}`);
          break;
        case 'rollback':
          arm.weight = 0;
          e.state = 'rolled-back';
          e.endedAt = now;
          this.experiments.step(model, e, 'rollback', actor, `rolled back after ${d.failedChecks} failed checks: ${d.reason} (${figures})`, now);
          await this.experiments.record(m, model, e, 'exp-rollback', null, actor, `${d.reason} (${figures})`);
          break;
        case 'promote':
          deployed = await this.experiments.promoteUnderLock(m, model, e, arm, actor, `canary passed at ${canary.maxWeight}% (${figures})`);
          return { dto: this.experiments.toDto(model, e), action: 'promote' };
      }
      await m.getRepository(ExperimentEntity).save(e);
      return { dto: this.experiments.toDto(model, e), action: d.action };
    });
    if (deployed) this.deployments.published(deployed);
    if (changed) {
      this.experiments.publish(changed.dto, changed.action);
      this.logger.log(`${changed.dto.model}: canary ${changed.dto.id} ${changed.action} → ${changed.dto.candidates[0]?.weight}%`);
    }
  }
}
