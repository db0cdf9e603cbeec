import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { DriftReportDto, DriftReportReply } from '@loglens/contracts/protocol';
import { type Observable, catchError, forkJoin, map, of } from 'rxjs';
import { DriftData } from '../../core/data/drift.data';
import { slicesOf } from '../../shared/drift-slices';
import { formatNumber, formatPercent } from '../../shared/format';
import { LineChartComponent } from '../../shared/line-chart.component';
import { createLoader } from '../../shared/loader';
import { type DriftSlice, anomalyRateSeries, driftSeries } from './version-drift-panel';

const HOUR_MS = 3_600_000;

/**
 * Drift and anomaly rate of one serving version over the last hour, beside its serving numbers: the verdict, the
 * anomaly rate against the reference's (with its p-value), the unseen-template rate, and both as 5-minute series
 * (one drift report per slice). The Drift page has the per-feature detail.
 */
@Component({
  selector: 'll-version-drift-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, LineChartComponent],
  template: `
    <section class="drift-panel" [attr.aria-label]="'Drift and anomaly rate of ' + ref()">
      @let h = hour();
      @if (data.state().status === 'loading' && !data.value()) {
        <p class="muted" role="status">Asking the registry for the last hour's drift…</p>
      } @else if (data.state().status === 'error' && !data.value()) {
        <p class="muted" role="status">No drift report: {{ errorText() }}</p>
      } @else if (h && h.state !== 'ok') {
        <p class="muted drift-state" role="status">
          Drift, last hour: {{ stateText(h) }}
          <a [routerLink]="['/drift']">Drift page</a>
        </p>
      } @else if (h?.report; as r) {
        <dl class="facts">
          <div>
            <dt>Drift, last hour</dt>
            <dd class="verdict" [class.bad]="r.dataset.drifted">
              {{ r.dataset.drifted ? 'drifted' : 'no dataset drift' }}: {{ r.dataset.driftedFeatures }} of
              {{ r.dataset.features }} features
            </dd>
          </div>
          <div>
            <dt>Anomaly rate</dt>
            <dd class="anomaly-rate" [class.bad]="r.anomalyRate.drifted">
              {{ rateText(r.anomalyRate) }}
            </dd>
          </div>
          @if (r.unseenTemplates; as u) {
            <div>
              <dt>Unseen templates</dt>
              <dd [class.bad]="u.drifted">{{ pct(u.rate) }} of {{ u.lines }} lines</dd>
            </div>
          }
          <div>
            <dt>Windows</dt>
            <dd>{{ r.currentWindows }} live / {{ r.referenceWindows }} reference</dd>
          </div>
        </dl>
        <div class="charts">
          <ll-line-chart title="Anomaly rate per 5 min" [series]="rateSeries()" [format]="pct" />
          <ll-line-chart title="Worst feature drift per 5 min (× threshold)" [series]="severitySeries()" [format]="num" />
        </div>
        <p class="muted"><a [routerLink]="['/drift']">Per-feature drift on the Drift page</a></p>
      }
    </section>
  `,
  styles: `
    .facts {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 32px;
      margin: 0 0 8px;
    }
    .facts dt {
      font-size: 0.8em;
      color: var(--mat-sys-on-surface-variant, #555);
    }
    .facts dd {
      margin: 0;
    }
    .bad {
      color: var(--mat-sys-error);
      font-weight: 600;
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
      gap: 16px 32px;
    }
  `,
})
export class VersionDriftPanelComponent {
  private readonly drift = inject(DriftData);
  readonly ref = input.required<string>();
  /** bumped by the page to ask again (its "Refresh now"); the panel does not follow the 10 s auto-refresh */
  readonly refresh = input(0);

  protected readonly data = createLoader(
    (q: { ref: string; refresh: number }): Observable<{ hour: DriftReportReply | null; slices: DriftSlice[] }> => {
      const to = Date.now();
      const from = to - HOUR_MS;
      const range = (a: number, b: number) =>
        this.drift.driftRange(q.ref, new Date(a).toISOString(), new Date(b).toISOString()).pipe(catchError(() => of(null)));
      return forkJoin({
        hour: this.drift.driftRange(q.ref, new Date(from).toISOString(), new Date(to).toISOString()),
        slices: forkJoin(slicesOf(from, to).map((s) => range(s.from, s.to).pipe(map((reply) => ({ ...s, reply }))))),
      });
    },
    () => ({ ref: this.ref(), refresh: this.refresh() }),
  );
  protected readonly hour = computed(() => this.data.value()?.hour ?? null);
  protected readonly rateSeries = computed(() => anomalyRateSeries(this.data.value()?.slices ?? [], this.hour()));
  protected readonly severitySeries = computed(() => driftSeries(this.data.value()?.slices ?? []));
  protected readonly errorText = computed(() => {
    const s = this.data.state();
    return s.status === 'error' ? s.message : '';
  });

  protected readonly pct = (v: number | null): string => formatPercent(v);
  protected readonly num = (v: number): string => formatNumber(Math.round(v * 1000) / 1000);

  protected rateText(a: DriftReportDto['anomalyRate']): string {
    const p = a.pValue === null ? '' : a.pValue < 0.001 ? ', p < 0.001' : `, p = ${this.num(a.pValue)}`;
    return `${this.pct(a.current)} (reference ${this.pct(a.reference)}${p})`;
  }

  protected stateText(h: DriftReportReply): string {
    if (h.state === 'collecting-reference' && h.referenceWindow)
      return `collecting its reference window (${h.referenceWindow.collected} of ${h.referenceWindow.of} windows).`;
    return h.reason ?? (h.state === 'no-data' ? 'no live windows in the last hour.' : 'no reference profile.');
  }
}
