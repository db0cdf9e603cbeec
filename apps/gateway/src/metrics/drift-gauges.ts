import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DriftStatusEvent, DriftSubjects } from '@loglens/contracts';
import { EventBus } from '@loglens/nest-common';
import { MetricsService } from './metrics.service';

/**
 * The drift gauges, set from the registry's drift check (DriftSubjects.status, each minute): the last hour's
 * deciding statistic per feature of every version with live data, and the unseen-template rate per source. Each
 * status replaces the previous one, so a version without live data any more leaves the gauges.
 */
@Injectable()
export class DriftGauges implements OnModuleInit {
  readonly featureDrift: Gauge;
  readonly unseenTemplateRate: Gauge;

  constructor(
    metrics: MetricsService,
    private readonly bus: EventBus,
  ) {
    this.featureDrift = new Gauge({
      name: 'loglens_feature_drift',
      help: 'Drift statistic per feature over the last hour (a distance, or the adjusted p-value for ks / chisquare; see docs/monitoring.md)',
      labelNames: ['model', 'version', 'feature', 'statistic'],
      registers: [metrics.registry],
    });
    this.unseenTemplateRate = new Gauge({
      name: 'loglens_unseen_template_rate',
      help: 'Share of the last hour’s lines per source whose template the scoring version’s reference never saw',
      labelNames: ['source'],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    this.bus.subscribe(DriftSubjects.status, DriftStatusEvent, (s) => this.apply(s));
  }

  apply(s: DriftStatusEvent): void {
    this.featureDrift.reset();
    this.unseenTemplateRate.reset();
    for (const v of s.versions ?? []) {
      for (const f of v.features ?? []) {
        if (typeof f.value === 'number' && Number.isFinite(f.value)) this.featureDrift.set({ model: v.model, version: v.version, feature: f.feature, statistic: f.statistic }, f.value);
      }
    }
    for (const src of s.sources ?? []) if (Number.isFinite(src.unseenRate)) this.unseenTemplateRate.set({ source: src.source }, src.unseenRate);
  }
}
