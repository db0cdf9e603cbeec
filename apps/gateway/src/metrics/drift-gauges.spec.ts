import type { EventBus } from '@loglens/nest-common';
import { DriftGauges } from './drift-gauges';
import type { MetricsService } from './metrics.service';
import { Registry } from 'prom-client';

function gauges(): { g: DriftGauges; registry: Registry } {
  const registry = new Registry();
  const g = new DriftGauges({ registry } as MetricsService, {} as EventBus);
  return { g, registry };
}

describe('DriftGauges', () => {
  it('sets one series per feature and source from a status, and the next status replaces them', async () => {
    const { g, registry } = gauges();
    g.apply({
      at: '2026-12-05T12:00:00.000Z',
      versions: [
        {
          model: 'app',
          version: 'app@3',
          features: [
            { feature: 't04', statistic: 'ks', value: 1e-9, drifted: true },
            { feature: 'events', statistic: 'wasserstein', value: 0.02, drifted: false },
            { feature: 'score', statistic: 'ks', value: null, drifted: false },
          ],
        },
      ],
      sources: [{ source: 'web', unseenRate: 0.021 }],
    });
    let text = await registry.metrics();
    expect(text).toContain('loglens_feature_drift{model="app",version="app@3",feature="t04",statistic="ks"} 1e-9');
    expect(text).toContain('loglens_feature_drift{model="app",version="app@3",feature="events",statistic="wasserstein"} 0.02');
    // a feature without a value (no live rows) is left out rather than written as 0 (which would read as "drifted" for a p-value)
    expect(text).not.toContain('feature="score"');
    expect(text).toContain('loglens_unseen_template_rate{source="web"} 0.021');

    g.apply({ at: '2026-12-05T12:01:00.000Z', versions: [], sources: [] });
    text = await registry.metrics();
    expect(text).not.toContain('app@3');
    expect(text).not.toContain('source="web"');
  });
});
