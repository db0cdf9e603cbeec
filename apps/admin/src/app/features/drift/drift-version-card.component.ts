import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { DriftReportReply, FeatureDriftDto } from '@loglens/contracts/protocol';
import { DriftHistogramComponent } from './drift-histogram.component';
import { DriftSeriesComponent } from './drift-series.component';

/** Features worst first: drifted before not, then by how far past the threshold (p-values: smaller is worse). */
export function worstFirst(features: readonly FeatureDriftDto[]): FeatureDriftDto[] {
  const severity = (f: FeatureDriftDto): number => {
    if (f.value === null) return -Infinity;
    return f.statistic === 'ks' || f.statistic === 'chisquare' ? -Math.log10(Math.max(f.value, 1e-300)) + Math.log10(f.threshold) : f.value / f.threshold;
  };
  return [...features].sort((a, b) => Number(b.drifted) - Number(a.drifted) || severity(b) - severity(a));
}

/** Histograms shown per version: its worst features. */
export const HISTOGRAMS_SHOWN = 4;

export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)} %`);
export const num = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : Math.abs(x) >= 1000 || (Math.abs(x) < 0.001 && x !== 0) ? x.toExponential(2) : x.toFixed(3);

/**
 * One serving version's drift report: the dataset verdict, the signals, the worst features' reference-vs-current
 * histograms, the worst feature's drift over time with deploy marks, the feature table and unseen templates.
 */
@Component({
  selector: 'll-drift-version-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DriftHistogramComponent, DriftSeriesComponent],
  template: `
    @let d = drift();
    @let report = d.report!;
    <article class="card" [attr.aria-labelledby]="'drift-' + d.version">
      <h2 class="section-title" [id]="'drift-' + d.version">
        <a [routerLink]="['/models', d.version]"><code>{{ d.version }}</code></a>
        @if (report.dataset.drifted) {
          <span class="badge bad">dataset drifted</span>
        } @else if (driftedCount() > 0) {
          <span class="badge warn">{{ driftedCount() }} drifted</span>
        } @else {
          <span class="badge ok">no drift</span>
        }
      </h2>
      <p class="muted">
        {{ report.currentWindows }} live windows in {{ d.buckets }} buckets vs {{ report.referenceWindows }} reference windows ({{ report.referenceOrigin }}) ·
        {{ report.dataset.driftedFeatures }} of {{ report.dataset.features }} features drifted (dataset drifts at {{ pct(report.dataset.threshold) }})
      </p>
      <dl class="signals">
        <div><dt>Template mix</dt><dd>{{ report.templates ? (report.templates.drifted ? 'drifted' : 'stable') + ' (' + report.templates.statistic + ' ' + num(report.templates.value) + ')' : 'n/a' }}</dd></div>
        <div><dt>Unseen templates</dt><dd>{{ report.unseenTemplates ? pct(report.unseenTemplates.rate) + (report.unseenTemplates.drifted ? ' (drifted)' : '') : 'n/a' }}</dd></div>
        <div><dt>Score</dt><dd>{{ report.score ? (report.score.drifted ? 'drifted' : 'stable') : 'n/a' }}</dd></div>
        <div><dt>Anomaly rate</dt><dd>{{ pct(report.anomalyRate.reference) }} → {{ pct(report.anomalyRate.current) }}{{ report.anomalyRate.drifted ? ' (changed)' : '' }}</dd></div>
      </dl>
      @if (worst().length > 0) {
        <ll-drift-series [ref]="d.version" [model]="d.model" [feature]="worst()[0].feature" [from]="fromMs()" [to]="toMs()" />
        <div class="hists" role="list" [attr.aria-label]="'Worst features of ' + d.version">
          @for (f of worst().slice(0, shown); track f.feature) {
            <div role="listitem">
              <h3><code>{{ f.feature }}</code> {{ f.statistic }} {{ num(f.value) }} {{ f.drifted ? '(drifted)' : '' }}</h3>
              <ll-drift-histogram [feature]="f.feature" [reference]="f.reference" [current]="f.current" [drifted]="f.drifted" />
            </div>
          }
        </div>
      }
      <div class="table-scroll">
        <table class="data-table" [attr.aria-label]="'Features of ' + d.version + ', worst first'">
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Statistic</th>
              <th scope="col" class="num">Value</th>
              <th scope="col" class="num">Threshold</th>
              <th scope="col">Drifted</th>
              <th scope="col" class="num">Reference mean</th>
              <th scope="col" class="num">Current mean</th>
            </tr>
          </thead>
          <tbody>
            @for (f of worst(); track f.feature) {
              <tr [class.drifted]="f.drifted">
                <th scope="row"><code>{{ f.feature }}</code></th>
                <td>{{ f.statistic }}</td>
                <td class="num">{{ num(f.value) }}</td>
                <td class="num">{{ num(f.threshold) }}</td>
                <td>{{ f.drifted ? 'yes' : 'no' }}</td>
                <td class="num">{{ num(f.reference.mean) }}</td>
                <td class="num">{{ num(f.current.mean) }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      @if (report.unseenTemplates?.examples?.length) {
        <p class="muted">
          Unseen:
          @for (e of report.unseenTemplates!.examples; track e.template) {
            <code>{{ e.template }}</code> ({{ e.lines }} lines)
          }
        </p>
      }
    </article>
  `,
  styles: `
    .signals {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 24px;
      margin: 8px 0;
    }
    .signals dt {
      font-weight: 600;
    }
    .signals dd {
      margin: 0;
    }
    .hists {
      display: flex;
      flex-wrap: wrap;
      gap: 12px 24px;
      margin: 8px 0 12px;
    }
    .hists h3 {
      font-size: 0.9em;
      font-weight: 500;
      margin: 0 0 4px;
    }
    tr.drifted th,
    tr.drifted td {
      font-weight: 600;
    }
    .badge {
      margin-left: 8px;
      font-size: 0.8em;
    }
  `,
})
export class DriftVersionCardComponent {
  /** a report in state `ok` */
  readonly drift = input.required<DriftReportReply>();
  protected readonly shown = HISTOGRAMS_SHOWN;
  protected readonly pct = pct;
  protected readonly num = num;
  protected readonly worst = computed(() => {
    const report = this.drift().report;
    return report ? worstFirst([...report.features, ...(report.score ? [report.score] : [])]) : [];
  });
  protected readonly driftedCount = computed(() => this.drift().report?.features.filter((f) => f.drifted).length ?? 0);
  protected readonly fromMs = computed(() => Date.parse(this.drift().from));
  protected readonly toMs = computed(() => Date.parse(this.drift().to));
}
