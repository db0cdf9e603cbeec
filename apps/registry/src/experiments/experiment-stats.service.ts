import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ACTIVE_EXPERIMENT_STATES, ExperimentStatsMessage, QueueGroups, RegistrySubjects } from '@loglens/contracts';
import { EventBus } from '@loglens/nest-common';
import { emptyArmCounts, mergeArmCounts, SCORE_BUCKETS, LATENCY_SAMPLE, type ArmCounts } from '@loglens/experiments';
import { ExperimentEntity } from './experiment.entity';

/**
 * Adds the workers' per-arm counts to their experiment: the current check interval (what the canary decides on) and
 * the totals (the report). One registry instance takes each report (queue group); the row lock serialises them.
 */
@Injectable()
export class ExperimentStatsService implements OnModuleInit {
  private readonly logger = new Logger(ExperimentStatsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(RegistrySubjects.experimentStats, ExperimentStatsMessage, (m) => this.add(m), { queue: QueueGroups.registry });
  }

  async add(msg: ExperimentStatsMessage): Promise<void> {
    const arms = msg.arms.map(armCountsOf).filter((a): a is ArmCounts => a !== null);
    await this.ds.transaction(async (m) => {
      const repo = m.getRepository(ExperimentEntity);
      const e = await repo.findOne({ where: { id: msg.experimentId }, lock: { mode: 'pessimistic_write' } });
      if (!e || !ACTIVE_EXPERIMENT_STATES.includes(e.state)) return;
      for (const arm of arms) {
        const total = e.totals.find((t) => t.version === arm.version);
        const interval = e.interval.find((t) => t.version === arm.version);
        // counts of a version that is no arm of this experiment (a stale route) are not this experiment's
        if (!total || !interval) continue;
        mergeArmCounts(interval, arm);
        mergeArmCounts(total, { ...arm, latencies: [...arm.latencies] });
      }
      await repo.update({ id: e.id }, { totals: e.totals, interval: e.interval });
    });
  }
}

/** An ArmCounts from a worker's JSON, every field checked (a malformed report is dropped, never stored). */
export function armCountsOf(raw: Record<string, unknown>): ArmCounts | null {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
  if (typeof raw['version'] !== 'string') return null;
  const arm = emptyArmCounts(raw['version']);
  for (const key of ['requests', 'errors', 'rows', 'anomalies', 'scoreSum', 'latencySeen', 'shadowErrors', 'shadowDropped'] as const) {
    const value = n(raw[key]);
    // scoreSum may be absent, and shadowDropped from a worker older than it
    if (value === null && key !== 'scoreSum' && !(key === 'shadowDropped' && raw[key] === undefined)) return null;
    arm[key] = value ?? 0;
  }
  const hist = raw['scoreHistogram'];
  if (Array.isArray(hist) && hist.length === SCORE_BUCKETS) arm.scoreHistogram = hist.map((x) => n(x) ?? 0);
  const lat = raw['latencies'];
  if (Array.isArray(lat)) arm.latencies = lat.slice(0, LATENCY_SAMPLE).map((x) => n(x) ?? 0);
  const ag = raw['agreement'] as Record<string, unknown> | undefined;
  if (ag && typeof ag === 'object') {
    arm.agreement = { compared: n(ag['compared']) ?? 0, bothFlagged: n(ag['bothFlagged']) ?? 0, controlOnly: n(ag['controlOnly']) ?? 0, candidateOnly: n(ag['candidateOnly']) ?? 0 };
  }
  return arm;
}
