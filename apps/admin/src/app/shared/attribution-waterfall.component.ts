import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { TopFeatureDto, WindowExplanationDto } from '@loglens/contracts';
import { buildWaterfall, outputSpaceText, scoreOfOutput, type WaterfallStep } from './attribution-waterfall';
import { formatNumber } from './format';

/**
 * Why a window got its score: a waterfall from the model's base value through each feature's attribution (red pushes
 * towards anomalous, blue away) to the window's output. It is a table, so screen readers read it row by row; the bars
 * are decoration of the numbers beside them.
 */
@Component({
  selector: 'll-attribution-waterfall',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let w = waterfall();
    @let e = explanation();
    <figure class="waterfall">
      <figcaption>
        <strong>Why this score</strong>
        <span class="muted">
          {{ e.approximate ? 'Approximate' : 'Exact' }} attributions ({{ methodText() }}) in {{ spaceText() }}.
          @if (score() !== null) {
            Output {{ num(e.outputValue) }} → score {{ num(score()!) }}.
          }
        </span>
      </figcaption>
      <table [attr.aria-label]="'Attributions of window ' + windowKey()">
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col" class="num">Value</th>
            <th scope="col" class="bar-col"><span class="visually-hidden">Bar</span></th>
            <th scope="col" class="num">Contribution</th>
          </tr>
        </thead>
        <tbody>
          @for (s of w.steps; track $index) {
            <tr
              [class]="'step ' + s.kind"
              [attr.data-kind]="s.kind"
              [attr.data-contribution]="s.contribution"
            >
              <th scope="row">
                <code>{{ s.label }}</code>
                @if (s.template) {
                  <div class="template" [title]="s.template">{{ s.template }}</div>
                }
              </th>
              <td class="num">{{ s.value === null ? '' : num(s.value) }}</td>
              <td class="bar-col" aria-hidden="true">
                <div class="track">
                  @if (s.kind === 'base' || s.kind === 'output') {
                    <div class="mark" [style.left.%]="pos(s.to)"></div>
                  } @else {
                    <div
                      class="bar"
                      [class.up]="s.contribution > 0"
                      [class.down]="s.contribution < 0"
                      [style.left.%]="pos(Math.min(s.from, s.to))"
                      [style.width.%]="Math.max(0.5, pos(Math.max(s.from, s.to)) - pos(Math.min(s.from, s.to)))"
                    ></div>
                  }
                </div>
              </td>
              <td class="num">{{ signed(s) }}</td>
            </tr>
          }
        </tbody>
      </table>
    </figure>
  `,
  styles: `
    :host {
      display: block;
    }
    figure {
      margin: 0 0 12px;
    }
    figcaption {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: baseline;
      margin-bottom: 6px;
    }
    .muted {
      color: var(--ll-muted, #5f6368);
    }
    table {
      border-collapse: collapse;
      width: 100%;
      max-width: 960px;
    }
    th,
    td {
      padding: 2px 8px;
      text-align: left;
      vertical-align: middle;
      font-weight: normal;
    }
    .num {
      text-align: right;
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
    }
    .bar-col {
      width: 45%;
      min-width: 160px;
    }
    .track {
      position: relative;
      height: 14px;
    }
    .bar {
      position: absolute;
      top: 1px;
      height: 12px;
      border-radius: 2px;
      background: #9aa0a6;
    }
    .bar.up {
      background: #c5221f;
    }
    .bar.down {
      background: #1967d2;
    }
    .mark {
      position: absolute;
      top: -2px;
      width: 2px;
      height: 18px;
      margin-left: -1px;
      background: #202124;
    }
    tr.base th,
    tr.output th {
      font-weight: 600;
    }
    tr.output {
      border-top: 1px solid #dadce0;
    }
    .template {
      max-width: 420px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: 12px;
      color: var(--ll-muted, #5f6368);
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
  `,
})
export class AttributionWaterfallComponent {
  readonly features = input.required<readonly TopFeatureDto[]>();
  readonly explanation = input.required<WindowExplanationDto>();
  readonly windowKey = input('');

  protected readonly Math = Math;
  protected readonly waterfall = computed(() => buildWaterfall(this.features(), this.explanation()));
  protected readonly score = computed(() => scoreOfOutput(this.explanation().outputSpace, this.explanation().outputValue));
  protected readonly spaceText = computed(() => outputSpaceText(this.explanation().outputSpace));
  protected readonly methodText = computed(() => {
    const m = this.explanation().method;
    return m === 'tree-shap' ? 'TreeSHAP' : m === 'pca-spe' ? 'PCA residual decomposition' : m;
  });

  protected num(v: number): string {
    return formatNumber(Math.round(v * 10_000) / 10_000);
  }

  /** where a value sits on the bar axis, in % of the track (a little margin each side) */
  protected pos(v: number): number {
    const { min, max } = this.waterfall();
    const span = max - min || 1;
    return 2 + ((v - min) / span) * 96;
  }

  protected signed(s: WaterfallStep): string {
    if (s.kind === 'base' || s.kind === 'output') return this.num(s.contribution);
    const c = Math.round(s.contribution * 10_000) / 10_000;
    return `${c >= 0 ? '+' : '−'}${formatNumber(Math.abs(c))}`;
  }
}
