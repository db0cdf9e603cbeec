import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { DriftReportReply, HistoryEntryDto } from '@loglens/contracts/protocol';
import { type Observable, catchError, forkJoin, map, of } from 'rxjs';
import { LifecycleData } from '../../core/data/lifecycle.data';
import { createLoader } from '../../shared/loader';
import { SERIES_SLICES, severityOf, slicesOf } from '../../shared/drift-slices';
import { DriftData } from '../../core/data/drift.data';

export { SERIES_SLICES, severityOf, slicesOf };

export interface SeriesPoint {
  from: number;
  to: number;
  severity: number | null;
  windows: number;
}

/** The feature's point in one slice's report (the score counts as feature `score`). */
export function pointOf(slice: { from: number; to: number }, reply: DriftReportReply | null, feature: string): SeriesPoint {
  const report = reply?.state === 'ok' ? reply.report : null;
  const f = report ? (feature === 'score' ? (report.score ?? undefined) : report.features.find((x) => x.feature === feature)) : undefined;
  return { ...slice, severity: severityOf(f), windows: report?.currentWindows ?? 0 };
}

const W = 560;
const H = 120;
const PAD = 18;

/**
 * One feature's drift over the chosen window, slice by slice (SERIES_SLICES reports over custom ranges), with the
 * threshold as a dashed line and a mark where the model's serving version changed (deploy, rollback, fallback,
 * promote: its history). Inline SVG, no chart library.
 */
@Component({
  selector: 'll-drift-series',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="series">
      <svg [attr.viewBox]="'0 0 ' + width + ' ' + height" [attr.width]="width" [attr.height]="height" role="img" [attr.aria-label]="label()">
        <line class="threshold" [attr.x1]="pad" [attr.x2]="width - pad" [attr.y1]="chart().thresholdY" [attr.y2]="chart().thresholdY" />
        @for (d of chart().deploys; track $index) {
          <g class="deploy">
            <title>{{ d.title }}</title>
            <line [attr.x1]="d.x" [attr.x2]="d.x" [attr.y1]="pad / 2" [attr.y2]="height - pad" />
            <text [attr.x]="d.end ? d.x - 2 : d.x + 2" [attr.y]="pad - 6" [class.end]="d.end">{{ d.text }}</text>
          </g>
        }
        <polyline class="line" [attr.points]="chart().points" />
        @for (p of chart().dots; track $index) {
          <circle [class.over]="p.over" [attr.cx]="p.x" [attr.cy]="p.y" r="3"><title>{{ p.title }}</title></circle>
        }
        <text class="tick" [attr.x]="pad" [attr.y]="height - 4">{{ startText() }}</text>
        <text class="tick end" [attr.x]="width - pad" [attr.y]="height - 4">now</text>
      </svg>
      <figcaption>{{ feature() }}: × its threshold per slice of {{ sliceText() }} (dashed: the threshold; vertical: serving version changes)</figcaption>
    </figure>
  `,
  styles: `
    .series {
      margin: 8px 0;
    }
    .threshold {
      stroke: #d2452f;
      stroke-dasharray: 4 3;
    }
    .line {
      fill: none;
      stroke: #3b78d8;
      stroke-width: 2;
    }
    circle {
      fill: #3b78d8;
    }
    circle.over {
      fill: #d2452f;
    }
    .deploy line {
      stroke: #6b4fbb;
      stroke-width: 1.5;
    }
    .deploy text,
    .tick {
      font-size: 10px;
      fill: #555;
    }
    .tick.end,
    .deploy text.end {
      text-anchor: end;
    }
    figcaption {
      font-size: 0.8em;
      color: #555;
    }
  `,
})
export class DriftSeriesComponent {
  private readonly driftData = inject(DriftData);
  private readonly lifecycle = inject(LifecycleData);
  readonly ref = input.required<string>();
  readonly model = input.required<string>();
  readonly feature = input.required<string>();
  /** the chosen window, epoch ms */
  readonly from = input.required<number>();
  readonly to = input.required<number>();
  protected readonly width = W;
  protected readonly height = H;
  protected readonly pad = PAD;

  protected readonly data = createLoader(
    (q: { ref: string; model: string; feature: string; from: number; to: number }): Observable<{ points: SeriesPoint[]; deploys: HistoryEntryDto[] }> =>
      forkJoin({
        points: forkJoin(
          slicesOf(q.from, q.to).map((s) =>
            this.driftData.driftRange(q.ref, new Date(s.from).toISOString(), new Date(s.to).toISOString()).pipe(
              map((r) => pointOf(s, r, q.feature)),
              catchError(() => of(pointOf(s, null, q.feature))),
            ),
          ),
        ),
        deploys: this.lifecycle.history({ model: q.model, from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() }).pipe(
          map((h) => h.entries.filter((e) => e.kind === 'serving')),
          catchError(() => of([] as HistoryEntryDto[])),
        ),
      }),
    () => ({ ref: this.ref(), model: this.model(), feature: this.feature(), from: this.from(), to: this.to() }),
  );

  protected readonly chart = computed(() => {
    const from = this.from();
    const to = this.to();
    const points = this.data.value()?.points ?? [];
    const deploys = this.data.value()?.deploys ?? [];
    const top = Math.max(2, ...points.map((p) => p.severity ?? 0)) * 1.1;
    const x = (t: number): number => PAD + ((t - from) / Math.max(to - from, 1)) * (W - 2 * PAD);
    const y = (v: number): number => H - PAD - (Math.min(v, top) / top) * (H - 2 * PAD);
    const dots = points
      .filter((p) => p.severity !== null)
      .map((p) => ({
        x: x((p.from + p.to) / 2),
        y: y(p.severity as number),
        over: (p.severity as number) >= 1,
        title: `${new Date(p.from).toLocaleString()} – ${new Date(p.to).toLocaleTimeString()}: ${(p.severity as number).toFixed(2)}× threshold, ${p.windows} windows`,
      }));
    return {
      thresholdY: y(1),
      points: dots.map((d) => `${d.x.toFixed(1)},${d.y.toFixed(1)}`).join(' '),
      dots,
      deploys: deploys.map((e) => ({
        x: x(Date.parse(e.at)),
        // labels in the right half run leftwards, so they stay inside the chart
        end: x(Date.parse(e.at)) > W / 2,
        text: e.to ?? e.action,
        title: `${e.action} ${e.from ?? '—'} → ${e.to ?? '—'} by ${e.actor} at ${new Date(e.at).toLocaleString()}`,
      })),
    };
  });
  protected readonly label = computed(() => `Drift of ${this.feature()} over time with serving version changes`);
  protected readonly startText = computed(() => new Date(this.from()).toLocaleString());
  protected readonly sliceText = computed(() => {
    const minutes = (this.to() - this.from()) / SERIES_SLICES / 60_000;
    return minutes >= 60 ? `${(minutes / 60).toFixed(minutes % 60 ? 1 : 0)} h` : `${Math.round(minutes)} min`;
  });

  reload(): void {
    this.data.reload();
  }
}
