import { NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  type TemplateRef,
  computed,
  input,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { AttributionWaterfallComponent } from '../../shared/attribution-waterfall.component';
import {
  type WindowView,
  featureText,
  formatClock,
  formatRange,
  formatTime,
  predictionOf,
  rangeLines,
  scoreText,
  sortWindows,
} from './windows';

let nextId = 0;

export interface WindowDetailContext {
  $implicit: WindowView;
}

/**
 * The table of analysed windows the Logs pages share: window key, time range, anomaly score, prediction, threshold,
 * model version and the features that stood out. Anomalous windows are highlighted (colour, a left bar and the word
 * "anomalous") and, with `anomaliesFirst`, sorted to the top. With a `detail` template a window's row expands, by a
 * real button, into a row below it showing that template.
 */
@Component({
  selector: 'll-window-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgTemplateOutlet, MatButtonModule, AttributionWaterfallComponent],
  template: `
    <div class="table-scroll">
      <table class="data-table windows" [attr.aria-label]="label()">
        <thead>
          <tr>
            @if (showSource()) {
              <th scope="col">{{ showReceived() ? 'Received, source' : 'Source' }}</th>
            }
            <th scope="col">Window</th>
            <th scope="col">Time range</th>
            <th scope="col" class="num">Score</th>
            <th scope="col">Prediction</th>
            <th scope="col" class="num">Threshold</th>
            <th scope="col">Model version</th>
            <th scope="col">Top features</th>
          </tr>
        </thead>
        <tbody>
          @for (w of shown(); track w.id; let i = $index) {
            @let prediction = predictionOf(w);
            <tr
              class="window-row"
              [class.anomalous]="w.isAnomaly"
              [class.open]="isOpen(w.id)"
              [attr.data-window]="w.id"
              [attr.data-prediction]="prediction"
            >
              @if (showSource()) {
                <td>
                  @if (showReceived() && w.receivedAt) {
                    <time class="received" [attr.datetime]="w.receivedAt" [title]="formatTime(w.receivedAt)">{{
                      clock(w.receivedAt)
                    }}</time>
                  }
                  {{ w.source ?? '—' }}
                  @if (w.agent) {
                    <div class="muted small">{{ w.agent }} agent</div>
                  }
                </td>
              }
              <th scope="row" class="key nowrap">
                <code>{{ w.key }}</code>
                <div class="muted small">{{ w.recordCount }} record{{ w.recordCount === 1 ? '' : 's' }}</div>
                @if (expandable(w)) {
                  <button
                    type="button"
                    class="expand"
                    [attr.aria-expanded]="isOpen(w.id)"
                    [attr.aria-controls]="isOpen(w.id) ? uid + '-' + i : null"
                    [attr.aria-label]="
                      (isOpen(w.id) ? 'Hide the ' : 'Show the ') +
                      detailName(w) +
                      ' of window ' +
                      w.key +
                      ', ' +
                      range(w)
                    "
                    (click)="toggle(w.id)"
                  >
                    <span class="chevron" aria-hidden="true">{{ isOpen(w.id) ? '▾' : '▸' }}</span>
                    {{ isOpen(w.id) ? 'Hide' : detail() ? detailLabel() : 'Why' }}
                  </button>
                }
              </th>
              <td class="nowrap">
                @let when = lines(w);
                <time [attr.datetime]="w.start" [title]="range(w)">{{ when[0] }}<br />{{ when[1] }}</time>
              </td>
              <td class="num score">{{ score(w.anomalyScore) }}</td>
              <td>
                <span
                  class="status-chip prediction"
                  [class.bad]="prediction === 'anomalous'"
                  [class.ok]="prediction === 'normal'"
                  >{{ prediction }}</span
                >
              </td>
              <td class="num">{{ score(w.threshold) }}</td>
              <td class="nowrap">
                @if (w.modelVersion) {
                  <code>{{ w.modelVersion }}</code>
                } @else {
                  <span class="muted">none</span>
                }
              </td>
              <td class="features">
                @if (w.topFeatures.length) {
                  <ul>
                    @for (f of w.topFeatures; track f.name) {
                      <li>{{ feature(f) }}</li>
                    }
                  </ul>
                } @else {
                  <span class="muted">—</span>
                }
              </td>
            </tr>
            @if (isOpen(w.id) && expandable(w)) {
              <tr class="detail-row" [class.anomalous]="w.isAnomaly">
                <td [attr.colspan]="columnCount()" [id]="uid + '-' + i">
                  @if (w.explanation) {
                    <ll-attribution-waterfall [features]="w.topFeatures" [explanation]="w.explanation" [windowKey]="w.key" />
                  }
                  @if (detail(); as tpl) {
                    <ng-container *ngTemplateOutlet="tpl; context: { $implicit: w }" />
                  }
                </td>
              </tr>
            }
          }
        </tbody>
      </table>
    </div>
    @if (hidden() > 0) {
      <div class="more">
        <span class="muted">Showing {{ shown().length }} of {{ sorted().length }} windows.</span>
        <button mat-stroked-button type="button" (click)="extra.set(extra() + pageSize())">
          Show {{ nextPage() }} more
        </button>
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .windows td,
    .windows th {
      vertical-align: top;
      padding: 8px;
    }
    .window-row.anomalous,
    .detail-row.anomalous {
      background: color-mix(in srgb, var(--mat-sys-error-container) 60%, transparent);
    }
    .window-row.anomalous > :first-child {
      box-shadow: inset 4px 0 0 var(--mat-sys-error);
    }
    .window-row.open > * {
      border-bottom-color: transparent;
    }
    .window-row.anomalous .score {
      font-weight: 700;
    }
    .nowrap {
      white-space: nowrap;
    }
    .small {
      font-size: 0.8em;
    }
    .received {
      display: block;
      font-weight: 600;
    }
    .expand {
      margin: 4px 0 0 -4px;
      padding: 2px 4px;
      border: 0;
      border-radius: 4px;
      background: none;
      color: var(--mat-sys-primary);
      font: var(--mat-sys-label-large);
      cursor: pointer;
    }
    .expand:hover {
      background: var(--mat-sys-surface-container-high);
    }
    .features ul {
      margin: 0;
      padding: 0;
      list-style: none;
      font-size: 0.85em;
      min-width: 28ch;
    }
    .features li {
      padding-left: 1em;
      text-indent: -1em;
    }
    .detail-row > td {
      padding: 0 12px 12px;
    }
    .more {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px;
      margin-top: 8px;
    }
  `,
})
export class WindowTableComponent {
  readonly windows = input.required<readonly WindowView[]>();
  readonly label = input.required<string>();
  readonly anomaliesFirst = input(true);
  readonly showSource = input(false);
  /** with showSource: when this tab received each window, above its source (live feed) */
  readonly showReceived = input(false);
  /** the drill-down of a window; without one, rows do not expand */
  readonly detail = input<TemplateRef<WindowDetailContext> | null>(null);
  readonly detailLabel = input('Records');
  /** rows rendered at first, and added by each "Show more" */
  readonly pageSize = input(200);

  protected readonly uid = `ll-windows-${nextId++}`;
  protected readonly extra = signal(0);
  private readonly open = signal<ReadonlySet<string>>(new Set());

  protected readonly sorted = computed(() => sortWindows(this.windows(), this.anomaliesFirst()));
  protected readonly shown = computed(() => this.sorted().slice(0, this.pageSize() + this.extra()));
  protected readonly hidden = computed(() => this.sorted().length - this.shown().length);
  protected readonly nextPage = computed(() => Math.min(this.pageSize(), this.hidden()));
  protected readonly columnCount = computed(
    () => 7 + (this.showSource() ? 1 : 0),
  );

  protected readonly predictionOf = predictionOf;
  protected readonly formatTime = formatTime;
  protected readonly clock = formatClock;
  protected readonly score = scoreText;
  protected readonly feature = featureText;

  protected range(w: WindowView): string {
    return formatRange(w.start, w.end);
  }

  protected lines(w: WindowView): [string, string] {
    return rangeLines(w.start, w.end);
  }


  /** a row expands into its detail template and, when the window was explained, the waterfall of its attributions */
  protected expandable(w: WindowView): boolean {
    return this.detail() !== null || w.explanation !== null;
  }

  /** what the expanded row shows, as the button's accessible name says it: `records and attributions` */
  protected detailName(w: WindowView): string {
    const parts = [...(this.detail() ? [this.detailLabel().toLowerCase()] : []), ...(w.explanation ? ['attributions'] : [])];
    return parts.join(' and ');
  }

  protected isOpen(id: string): boolean {
    return this.open().has(id);
  }

  /** Expands or collapses a window's drill-down. */
  toggle(id: string): void {
    this.open.update((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }
}
