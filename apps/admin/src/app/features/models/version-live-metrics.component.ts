import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { interval } from 'rxjs';
import { PerformanceData } from '../../core/data/performance.data';
import { formatMs, formatNumber, formatPercent } from '../../shared/format';
import { LineChartComponent } from '../../shared/line-chart.component';
import { createLoader } from '../../shared/loader';
import { PERFORMANCE_REFRESH_MS, loadPerformance, seriesOf } from '../../shared/performance-data';

type LiveState = { kind: 'loading' | 'unavailable' | 'idle' | 'data'; text: string };

/** What the workers measured for one version since they started, refreshed every few seconds. */
@Component({
  selector: 'll-version-live-metrics',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, LineChartComponent],
  template: `
    @switch (state().kind) {
      @case ('loading') {
        <p class="muted">Loading performance…</p>
      }
      @case ('data') {
        @if (perf(); as p) {
          <dl class="fact-grid">
            <div>
              <dt>Throughput</dt>
              <dd>{{ formatNumber(round2(p.throughputPerSec)) }} req/s</dd>
            </div>
            <div>
              <dt>Latency p50 / p95 / p99</dt>
              <dd>
                {{ formatMs(p.latencyMs.p50) }} / {{ formatMs(p.latencyMs.p95) }} /
                {{ formatMs(p.latencyMs.p99) }}
              </dd>
            </div>
            <div>
              <dt>Queue vs compute (p50)</dt>
              <dd>{{ formatMs(p.queueMs.p50) }} vs {{ formatMs(p.computeMs.p50) }}</dd>
            </div>
            <div>
              <dt>Average batch</dt>
              <dd>{{ formatNumber(round2(p.avgBatchSize)) }} rows</dd>
            </div>
            <div>
              <dt>Error rate</dt>
              <dd>
                {{ formatPercent(p.errorRate) }} ({{ p.requests.failure }} of
                {{ p.requests.success + p.requests.failure }})
              </dd>
            </div>
          </dl>
          <ll-line-chart class="chart" title="Requests per 10 s, last 15 min" [series]="requestSeries()" />
          <p><a routerLink="/performance">All versions' performance</a></p>
        }
      }
      @default {
        <p class="muted">{{ state().text }}</p>
      }
    }
  `,
  styles: `
    .chart {
      display: block;
      max-width: 720px;
      margin-top: 12px;
    }
  `,
})
export class VersionLiveMetricsComponent {
  private readonly api = inject(PerformanceData);

  /** the version's reference (`model:version`) */
  readonly versionRef = input.required<string>();

  protected readonly formatNumber = formatNumber;
  protected readonly formatMs = formatMs;
  protected readonly formatPercent = formatPercent;
  protected readonly round2 = (n: number): number => Math.round(n * 100) / 100;

  private readonly performance = createLoader(() => loadPerformance(this.api));

  protected readonly perf = computed(() => {
    const view = this.performance.value();
    return view?.available ? (view.reply.versions.find((p) => p.ref === this.versionRef()) ?? null) : null;
  });

  protected readonly state = computed<LiveState>(() => {
    const s = this.performance.state();
    if (s.status === 'error' && !s.value)
      return { kind: 'unavailable', text: `Could not load performance: ${s.message}` };
    const view = this.performance.value();
    if (!view) return { kind: 'loading', text: '' };
    if (!view.available) return { kind: 'unavailable', text: view.reason };
    if (!this.perf())
      return { kind: 'idle', text: 'This version has not served a request since the workers started.' };
    return { kind: 'data', text: '' };
  });

  protected readonly requestSeries = computed(() => {
    const p = this.perf();
    return p ? seriesOf(p, 'requests') : [];
  });

  constructor() {
    interval(PERFORMANCE_REFRESH_MS)
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        if (this.performance.state().status !== 'loading') this.performance.reload();
      });
  }

  /** Reads the workers' figures again now. */
  reload(): void {
    this.performance.reload();
  }
}
