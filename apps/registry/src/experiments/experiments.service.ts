import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import {
  ACTIVE_EXPERIMENT_STATES,
  LogLensError,
  checkExperimentSpec,
  type ChangeExperimentRequest,
  type CreateExperimentRequest,
  type ExperimentDto,
  type ExperimentStepDto,
  type HistoryAction,
  type ListExperimentsRequest,
} from '@loglens/contracts';
import { buildReport, emptyArmCounts, type ArmCounts, type ExperimentReportBody } from '@loglens/experiments';
import { HistoryService } from '../history/history.service';
import { DeploymentsService, type SwitchResult } from '../models/deployments.service';
import { ModelVersionEntity } from '../models/model-version.entity';
import { ModelEntity } from '../models/model.entity';
import { RegistryEvents } from '../models/registry-events';
import { findModel, resolveVersionRef } from '../models/version-resolver';
import { enforce, versionFacts } from '../models/version-rules';
import { activeExperimentOf } from './active-experiment';
import { ExperimentEntity, type StoredArm } from './experiment.entity';

export interface ExperimentReport extends ExperimentReportBody {
  experiment: ExperimentDto;
}

/**
 * Experiments of a model's traffic: created, paused, resumed, promoted and aborted here, every change under the
 * model's row lock (the same lock deploys take), recorded in the history and broadcast on
 * `registry.events.experiment-changed.v1`, which the workers route by.
 */
@Injectable()
export class ExperimentsService {
  private readonly logger = new Logger(ExperimentsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly history: HistoryService,
    private readonly events: RegistryEvents,
    private readonly deployments: DeploymentsService,
  ) {}

  async create(input: CreateExperimentRequest): Promise<ExperimentDto> {
    const req = checkExperimentSpec(input);
    const dto = await this.ds.transaction(async (m) => {
      const model = await findModel(m, req.model, true);
      const running = await activeExperimentOf(m, model.id);
      if (running) {
        throw new LogLensError('CONFLICT', `model "${model.name}" already has a ${running.state} ${running.kind} experiment ${running.id}: one experiment per model`);
      }
      if (!model.servingVersionId) throw new LogLensError('CONFLICT', `model "${model.name}" has no serving version to be the control; deploy one first`);
      const serving = await m.getRepository(ModelVersionEntity).findOneByOrFail({ id: model.servingVersionId });
      if (req.control !== undefined) {
        const { version: control } = await resolveVersionRef(m, `${model.name}@${req.control}`);
        if (control.id !== serving.id) {
          throw new LogLensError('CONFLICT', `the control must be the serving version ${model.name}@${serving.version}, not ${model.name}@${control.version}`);
        }
      }
      const candidates: StoredArm[] = [];
      for (const c of req.candidates) {
        const { version } = await resolveVersionRef(m, `${model.name}@${c.version}`);
        enforce('experiment-candidate', versionFacts(model, version));
        candidates.push({ versionId: version.id, version: version.version, weight: c.weight });
      }
      const now = new Date();
      const repo = m.getRepository(ExperimentEntity);
      const e = repo.create({
        modelId: model.id,
        kind: req.kind,
        controlVersionId: serving.id,
        controlVersion: serving.version,
        candidates,
        stickiness: req.stickiness ?? null,
        canary: req.canary ?? null,
        shadow: req.shadow ?? null,
        criteria: req.criteria,
        state: 'running',
        failedChecks: 0,
        steps: [],
        totals: this.emptyCounts(model.name, serving.version, candidates),
        interval: this.emptyCounts(model.name, serving.version, candidates),
        createdBy: req.actor,
        createdAt: now,
        updatedAt: now,
        checkedAt: now,
        endedAt: null,
      });
      this.step(model, e, 'start', req.actor, `${req.kind}: ${this.describeArms(model, e)}`, now);
      await repo.save(e);
      await this.record(m, model, e, 'exp-start', candidates[0]?.versionId ?? null, req.actor, e.steps[e.steps.length - 1].reason);
      return this.toDto(model, e);
    });
    this.publish(dto, 'start');
    this.logger.log(`${dto.model}: started ${dto.kind} experiment ${dto.id}`);
    return dto;
  }

  async get(id: string): Promise<ExperimentDto> {
    const e = await this.ds.getRepository(ExperimentEntity).findOneBy({ id });
    if (!e) throw new LogLensError('NOT_FOUND', `no experiment with id ${id}`);
    const model = await this.ds.getRepository(ModelEntity).findOneByOrFail({ id: e.modelId });
    return this.toDto(model, e);
  }

  async list(filter: ListExperimentsRequest): Promise<ExperimentDto[]> {
    const models = await this.ds.getRepository(ModelEntity).find();
    const byId = new Map(models.map((x) => [x.id, x]));
    const modelId = filter.model ? models.find((x) => x.name === filter.model)?.id : undefined;
    if (filter.model && !modelId) throw new LogLensError('NOT_FOUND', `no model named "${filter.model}"`);
    const rows = await this.ds.getRepository(ExperimentEntity).find({
      where: { ...(modelId ? { modelId } : {}), ...(filter.state ? { state: filter.state } : {}) },
      order: { createdAt: 'DESC' },
      take: 200,
    });
    return rows.flatMap((e) => {
      const model = byId.get(e.modelId);
      return model ? [this.toDto(model, e)] : [];
    });
  }

  /** Every active experiment: the routing workers follow (with the serving state). */
  async active(): Promise<ExperimentDto[]> {
    const rows = await this.ds.getRepository(ExperimentEntity).find({ where: { state: In([...ACTIVE_EXPERIMENT_STATES]) } });
    if (rows.length === 0) return [];
    const models = await this.ds.getRepository(ModelEntity).findBy({ id: In(rows.map((r) => r.modelId)) });
    const byId = new Map(models.map((x) => [x.id, x]));
    return rows.flatMap((e) => {
      const model = byId.get(e.modelId);
      return model ? [this.toDto(model, e)] : [];
    });
  }

  async report(id: string): Promise<ExperimentReport> {
    const e = await this.ds.getRepository(ExperimentEntity).findOneBy({ id });
    if (!e) throw new LogLensError('NOT_FOUND', `no experiment with id ${id}`);
    const model = await this.ds.getRepository(ModelEntity).findOneByOrFail({ id: e.modelId });
    const [control, ...candidates] = e.totals;
    return { experiment: this.toDto(model, e), ...buildReport(control, candidates, e.criteria) };
  }

  /** pause / resume / promote / abort, by an operator. */
  async change(req: ChangeExperimentRequest): Promise<ExperimentDto> {
    let deployed: SwitchResult | null = null;
    const dto = await this.ds.transaction(async (m) => {
      const { model, e } = await this.lockExperiment(m, req.id);
      const reason = req.reason ?? '';
      const active = ACTIVE_EXPERIMENT_STATES.includes(e.state);
      if (!active) throw new LogLensError('CONFLICT', `experiment ${e.id} is ${e.state}: nothing to ${req.action}`);
      switch (req.action) {
        case 'pause':
          if (e.state === 'paused') return this.toDto(model, e);
          e.state = 'paused';
          this.step(model, e, 'pause', req.actor, reason || 'paused: weights kept, no automatic decision');
          await this.record(m, model, e, 'exp-pause', null, req.actor, reason);
          break;
        case 'resume':
          if (e.state === 'running') return this.toDto(model, e);
          e.state = 'running';
          e.checkedAt = new Date();
          e.interval = this.emptyCounts(model.name, e.controlVersion, e.candidates);
          this.step(model, e, 'resume', req.actor, reason || 'resumed');
          await this.record(m, model, e, 'exp-resume', null, req.actor, reason);
          break;
        case 'abort':
          e.state = 'aborted';
          e.endedAt = new Date();
          for (const c of e.candidates) c.weight = 0;
          this.step(model, e, 'abort', req.actor, reason || `aborted: ${model.name}@${e.controlVersion} serves all traffic`);
          await this.record(m, model, e, 'exp-abort', null, req.actor, reason);
          break;
        case 'promote': {
          const winner = await this.promotable(model, e, req.version);
          deployed = await this.promoteUnderLock(m, model, e, winner, req.actor, reason || 'promoted by an operator');
          break;
        }
      }
      e.updatedAt = new Date();
      await m.getRepository(ExperimentEntity).save(e);
      return this.toDto(model, e);
    });
    if (deployed) this.deployments.published(deployed);
    this.publish(dto, dto.steps[dto.steps.length - 1].action);
    return dto;
  }

  /** The candidate a promote serves: the one named, the only one, or the A/B's recommended winner. */
  private async promotable(model: ModelEntity, e: ExperimentEntity, version: string | undefined): Promise<StoredArm> {
    if (version !== undefined) {
      const { version: v } = await resolveVersionRef(this.ds.manager, `${model.name}@${version}`);
      const arm = e.candidates.find((c) => c.versionId === v.id);
      if (!arm) throw new LogLensError('VALIDATION_FAILED', `${model.name}@${v.version} is not a candidate of experiment ${e.id}`);
      return arm;
    }
    if (e.candidates.length === 1) return e.candidates[0];
    const [control, ...candidates] = e.totals;
    const winner = buildReport(control, candidates, e.criteria).recommendation.winner;
    const arm = e.candidates.find((c) => `${model.name}@${c.version}` === winner);
    if (!arm) throw new LogLensError('CONFLICT', `experiment ${e.id} has several candidates and no recommended winner: name the version to promote`);
    return arm;
  }

  /** Serves the candidate (a history `promote` with the report's figures) and ends the experiment as promoted. */
  async promoteUnderLock(m: EntityManager, model: ModelEntity, e: ExperimentEntity, arm: StoredArm, actor: string, reason: string): Promise<SwitchResult> {
    const [control, ...candidates] = e.totals;
    const report = buildReport(control, candidates, e.criteria);
    const mine = report.comparisons.find((c) => c.version === `${model.name}@${arm.version}`);
    const figures = mine
      ? `; requests ${mine.errorRate.nB} vs ${mine.errorRate.nA}, error rate ${mine.errorRate.rateB.toFixed(4)} vs ${mine.errorRate.rateA.toFixed(4)}, anomaly rate Δ ${mine.anomalyRate.difference.toFixed(4)} (p ${mine.anomalyRate.pValue.toFixed(4)}), latency U effect ${mine.latency.effect.toFixed(3)} (p ${mine.latency.pValue.toFixed(4)})`
      : '';
    e.state = 'promoted';
    e.endedAt = new Date();
    for (const c of e.candidates) c.weight = c.versionId === arm.versionId ? 100 : 0;
    const why = `experiment ${e.id}: ${reason}${figures}`;
    this.step(model, e, 'promote', actor, why);
    const version = await m.getRepository(ModelVersionEntity).findOneByOrFail({ id: arm.versionId });
    // the experiment is no longer active when the switch runs, so the deploy guard lets it through
    await m.getRepository(ExperimentEntity).save(e);
    return this.deployments.switchServing(m, model, version, 'promote', actor, why.slice(0, 4000));
  }

  private async lockExperiment(m: EntityManager, id: string): Promise<{ model: ModelEntity; e: ExperimentEntity }> {
    const found = await m.getRepository(ExperimentEntity).findOneBy({ id });
    if (!found) throw new LogLensError('NOT_FOUND', `no experiment with id ${id}`);
    const model = await m.getRepository(ModelEntity).findOneOrFail({ where: { id: found.modelId }, lock: { mode: 'pessimistic_write' } });
    // read again under the model's lock (and the row's: workers' counts land concurrently)
    const e = await m.getRepository(ExperimentEntity).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return { model, e };
  }

  step(model: ModelEntity, e: ExperimentEntity, action: ExperimentStepDto['action'], actor: string, reason: string, at = new Date()): void {
    e.steps = [...e.steps, { at: at.toISOString(), action, weights: Object.fromEntries(e.candidates.map((c) => [`${model.name}@${c.version}`, c.weight])), actor, reason }];
  }

  record(m: EntityManager, model: ModelEntity, e: ExperimentEntity, action: HistoryAction, toVersionId: string | null, actor: string, reason: string) {
    return this.history.record(m, model, {
      kind: 'experiment',
      action,
      fromVersionId: e.controlVersionId,
      toVersionId: toVersionId ?? e.candidates[0]?.versionId ?? null,
      actor,
      reason: `experiment ${e.id}${reason ? `: ${reason}` : ''}`.slice(0, 4000),
    });
  }

  publish(experiment: ExperimentDto, action: ExperimentStepDto['action']): void {
    this.events.experimentChanged({ experiment, action, at: new Date().toISOString() });
  }

  emptyCounts(model: string, control: number, candidates: StoredArm[]): ArmCounts[] {
    return [emptyArmCounts(`${model}@${control}`), ...candidates.map((c) => emptyArmCounts(`${model}@${c.version}`))];
  }

  private describeArms(model: ModelEntity, e: ExperimentEntity): string {
    const arms = e.candidates.map((c) => `${model.name}@${c.version} ${c.weight}%`).join(', ');
    return `control ${model.name}@${e.controlVersion}; ${arms}${e.shadow ? `; shadow ${e.shadow.percent}%` : ''}`;
  }

  toDto(model: ModelEntity, e: ExperimentEntity): ExperimentDto {
    return {
      id: e.id,
      model: model.name,
      kind: e.kind,
      control: `${model.name}@${e.controlVersion}`,
      candidates: e.candidates.map((c) => ({ version: `${model.name}@${c.version}`, weight: c.weight })),
      stickiness: e.stickiness,
      canary: e.canary,
      shadow: e.shadow,
      criteria: e.criteria,
      state: e.state,
      failedChecks: e.failedChecks,
      steps: e.steps,
      createdBy: e.createdBy,
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
      endedAt: e.endedAt?.toISOString() ?? null,
    };
  }
}
