import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import type { VersionPerformanceDto } from '@loglens/contracts';
import { interval } from 'rxjs';
import { PerformanceData } from '../../core/data/performance.data';
import { formatBytes, formatMs, formatNumber, formatPercent } from '../../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { LineChartComponent } from '../../shared/line-chart.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { PERFORMANCE_REFRESH_MS, loadPerformance, seriesOf } from '../../shared/performance-data';
import { VersionDriftPanelComponent } from './version-drift-panel.component';

/** Share of the median request spent waiting for a batch rather than computing, 0..1. */
export function queueShare(p: Pick<VersionPerformanceDto, 'queueMs' | 'computeMs'>): number {
  const total = p.queueMs.p50 + p.computeMs.p50;
  return total > 0 ? p.queueMs.p50 / total : 0;
}

@Component({
  selector: 'll-performance-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatSelectModule,
    MatSlideToggleModule,
    IconComponent,
    LineChartComponent,
    LoadStateComponent,
    VersionDriftPanelComponent,
  ],
  template: `
    <section class="page" aria-labelledby="perf-title">
      <header class="page-header">
        <h1 id="perf-title">Performance</h1>
        <mat-slide-toggle [checked]="autoRefresh()" (change)="autoRefresh.set($event.checked)"
          >Refresh every {{ refreshSeconds }} s</mat-slide-toggle
        >
        <button mat-stroked-button type="button" (click)="perf.reload(); driftRefresh.set(driftRefresh() + 1)">
          <ll-icon name="refresh" class="btn-icon" /> Refresh now
        </button>
      </header>

      <ll-load-state
        [state]="perf.state()"
        [empty]="isEmpty()"
        loadingText="Asking the workers for their numbers…"
        failedText="Could not load serving performance."
        emptyText="No version has served a request since the workers started. Score some rows on the Predict page and they show up here."
        (retry)="perf.reload()"
      />

      @if (unavailable(); as reason) {
        <div class="notice" role="status">
          <strong>No performance data yet.</strong>
          <span>{{ reason }}</span>
        </div>
      }

      @if (versions().length > 0) {
        <p class="muted">
          Per serving version since the workers started; throughput over the last minute.
          @if (generatedAt(); as at) {
            Reported {{ at | date: 'mediumTime' }}.
          }
        </p>
        <div class="table-scroll">
          <table class="data-table" aria-label="Performance per version">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col" class="num">Requests (failed)</th>
                <th scope="col" class="num">Throughput</th>
                <th scope="col" class="num">Latency p50 / p95 / p99</th>
                <th scope="col">Queue vs compute (p50)</th>
                <th scope="col" class="num">Avg batch</th>
                <th scope="col" class="num">Error rate</th>
              </tr>
            </thead>
            <tbody>
              @for (p of versions(); track p.ref) {
                <tr class="perf-row" [class.selected]="p.ref === selectedRef()">
                  <th scope="row">
                    <a [routerLink]="['/models', p.ref]"
                      ><code>{{ p.ref }}</code></a
                    >
                  </th>
                  <td class="num">
                    {{ p.requests.success + p.requests.failure }} ({{ p.requests.failure }})
                  </td>
                  <td class="num">{{ fmt(p.throughputPerSec) }} req/s</td>
                  <td class="num">
                    {{ formatMs(p.latencyMs.p50) }} / {{ formatMs(p.latencyMs.p95) }} /
                    {{ formatMs(p.latencyMs.p99) }}
                  </td>
                  <td>
                    <div
                      class="split"
                      role="img"
                      [attr.aria-label]="
                        'queue ' + formatMs(p.queueMs.p50) + ', compute ' + formatMs(p.computeMs.p50)
                      "
                    >
                      <span class="queue" [style.flex-grow]="queueShare(p)"></span>
                      <span class="compute" [style.flex-grow]="1 - queueShare(p)"></span>
                    </div>
                    <span class="split-text"
                      >{{ formatMs(p.queueMs.p50) }} / {{ formatMs(p.computeMs.p50) }}</span
                    >
                  </td>
                  <td class="num">{{ fmt(p.avgBatchSize) }}</td>
                  <td class="num" [class.bad]="p.errorRate > 0">{{ formatPercent(p.errorRate) }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        <p class="legend muted">
          <span class="swatch queue"></span> waiting in the batch queue
          <span class="swatch compute"></span> onnxruntime compute
        </p>

        <h2 class="section-title">Over time</h2>
        <mat-form-field class="version-select">
          <mat-label>Version</mat-label>
          <mat-select [value]="selectedRef()" (selectionChange)="selected.set($event.value)">
            @for (p of versions(); track p.ref) {
              <mat-option [value]="p.ref">{{ p.ref }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        @if (selectedPerf(); as p) {
          <div class="charts">
            <ll-line-chart title="Requests and errors per 10 s" [series]="requestSeries()" />
            <ll-line-chart title="p95 latency per 10 s" [series]="latencySeries()" [format]="formatMs" />
          </div>
          <h3 class="section-title">Drift and anomaly rate</h3>
          <ll-version-drift-panel [ref]="p.ref" [refresh]="driftRefresh()" />
        }
      }

      @if (workers().length > 0) {
        <h2 class="section-title">Workers</h2>
        <div class="table-scroll">
          <table class="data-table" aria-label="Inference workers">
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col" class="num">Memory (RSS)</th>
                <th scope="col" class="num">CPU</th>
                <th scope="col" class="num">Queue depth</th>
                <th scope="col">Loaded versions</th>
              </tr>
            </thead>
            <tbody>
              @for (w of workers(); track w.instanceId) {
                <tr>
                  <th scope="row">{{ w.instanceId }}</th>
                  <td class="num">{{ formatBytes(w.rssBytes) }}</td>
                  <td class="num">{{ fmt(w.cpuPercent) }} %</td>
                  <td class="num">{{ w.queueDepth }}</td>
                  <td>{{ w.loadedVersions.join(', ') || 'none' }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </section>
  `,
  styles: `
    .notice {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 16px;
      margin-bottom: 16px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container);
    }
    .split {
      display: flex;
      width: 120px;
      height: 10px;
      border-radius: 5px;
      overflow: hidden;
      background: var(--mat-sys-surface-container-high);
    }
    .queue {
      background: #e3a008;
    }
    .compute {
      background: #1f6feb;
    }
    .split-text {
      font-size: 0.85em;
    }
    .swatch {
      display: inline-block;
      width: 12px;
      height: 10px;
      border-radius: 2px;
      margin: 0 4px 0 12px;
      vertical-align: middle;
    }
    .bad {
      color: var(--mat-sys-error);
      font-weight: 600;
    }
    .perf-row.selected {
      background: var(--mat-sys-surface-container-low);
    }
    .version-select {
      width: 320px;
      max-width: 100%;
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
      gap: 16px 32px;
    }
  `,
})
export class PerformancePageComponent {
  private readonly api = inject(PerformanceData);

  protected readonly refreshSeconds = PERFORMANCE_REFRESH_MS / 1000;
  protected readonly formatMs = formatMs;
  protected readonly formatPercent = formatPercent;
  protected readonly formatBytes = formatBytes;
  protected readonly queueShare = queueShare;
  protected readonly fmt = (n: number): string => formatNumber(Math.round(n * 100) / 100);

  protected readonly autoRefresh = signal(true);
  /** the drift panel asks again on "Refresh now" only: twelve reports a time are too many for the 10 s refresh */
  protected readonly driftRefresh = signal(0);
  protected readonly perf = createLoader(() => loadPerformance(this.api));
  protected readonly unavailable = computed(() => {
    const v = this.perf.value();
    return v && !v.available ? v.reason : null;
  });
  private readonly reply = computed(() => {
    const v = this.perf.value();
    return v?.available ? v.reply : null;
  });
  protected readonly versions = computed(() => this.reply()?.versions ?? []);
  protected readonly workers = computed(() => this.reply()?.workers ?? []);
  protected readonly generatedAt = computed(() => this.reply()?.generatedAt ?? null);
  protected readonly isEmpty = computed(() => !!this.reply() && this.versions().length === 0);

  protected readonly selected = signal<string | null>(null);
  protected readonly selectedRef = computed(() => {
    const refs = this.versions().map((v) => v.ref);
    const s = this.selected();
    return s && refs.includes(s) ? s : (refs[0] ?? null);
  });
  protected readonly selectedPerf = computed(
    () => this.versions().find((v) => v.ref === this.selectedRef()) ?? null,
  );
  protected readonly requestSeries = computed(() => {
    const p = this.selectedPerf();
    return p ? seriesOf(p, 'requests') : [];
  });
  protected readonly latencySeries = computed(() => {
    const p = this.selectedPerf();
    return p ? seriesOf(p, 'latency') : [];
  });

  constructor() {
    interval(PERFORMANCE_REFRESH_MS)
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        if (this.autoRefresh() && this.perf.state().status !== 'loading') this.perf.reload();
      });
  }
}
