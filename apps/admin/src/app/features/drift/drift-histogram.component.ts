import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { DriftHistogramDto } from '@loglens/contracts/protocol';

export interface HistogramBar {
  /** the bin's label: `≤ e0`, `(e0, e1]`, …, `> ek` */
  label: string;
  reference: number;
  current: number;
}

const fmt = (x: number): string => (Math.abs(x) >= 1000 || (Math.abs(x) < 0.01 && x !== 0) ? x.toExponential(1) : String(Math.round(x * 100) / 100));

/** Each bin's share of its side (reference and current share the bins: the reference's edges). */
export function histogramBars(reference: DriftHistogramDto, current: DriftHistogramDto): HistogramBar[] {
  const e = reference.edges;
  const share = (h: DriftHistogramDto, i: number): number => (h.n > 0 ? (h.counts[i] ?? 0) / h.n : 0);
  return reference.counts.map((_, i) => ({
    label: i === 0 ? `≤ ${fmt(e[0])}` : i === e.length ? `> ${fmt(e[e.length - 1])}` : `(${fmt(e[i - 1])}, ${fmt(e[i])}]`,
    reference: share(reference, i),
    current: share(current, i),
  }));
}

const W = 280;
const H = 90;
const PAD = 4;

/**
 * Reference vs current share per bin of one feature, as inline SVG (no chart library): the reference a grey bar, the
 * current a coloured one beside it, one pair per bin of the reference's edges. The bins and shares are in the title
 * of each pair (a tooltip, read by screen readers) and the figure's label.
 */
@Component({
  selector: 'll-drift-histogram',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="hist">
      <svg [attr.viewBox]="'0 0 ' + width + ' ' + height" [attr.width]="width" [attr.height]="height" role="img" [attr.aria-label]="label()">
        @for (b of geometry(); track $index) {
          <g>
            <title>{{ b.title }}</title>
            <rect class="ref" [attr.x]="b.x" [attr.y]="b.refY" [attr.width]="b.w" [attr.height]="b.refH" />
            <rect class="cur" [class.drifted]="drifted()" [attr.x]="b.x + b.w" [attr.y]="b.curY" [attr.width]="b.w" [attr.height]="b.curH" />
          </g>
        }
        <line class="axis" [attr.x1]="0" [attr.x2]="width" [attr.y1]="height - pad" [attr.y2]="height - pad" />
      </svg>
      <figcaption><span class="key ref"></span> reference <span class="key cur" [class.drifted]="drifted()"></span> current</figcaption>
    </figure>
  `,
  styles: `
    .hist {
      margin: 0;
    }
    rect.ref,
    .key.ref {
      fill: #b0b7c3;
      background: #b0b7c3;
    }
    rect.cur,
    .key.cur {
      fill: #3b78d8;
      background: #3b78d8;
    }
    rect.cur.drifted,
    .key.cur.drifted {
      fill: #d2452f;
      background: #d2452f;
    }
    .axis {
      stroke: #888;
      stroke-width: 1;
    }
    figcaption {
      font-size: 0.8em;
      color: #555;
    }
    .key {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin: 0 2px 0 8px;
    }
  `,
})
export class DriftHistogramComponent {
  readonly feature = input.required<string>();
  readonly reference = input.required<DriftHistogramDto>();
  readonly current = input.required<DriftHistogramDto>();
  readonly drifted = input(false);
  protected readonly width = W;
  protected readonly height = H;
  protected readonly pad = PAD;

  protected readonly bars = computed(() => histogramBars(this.reference(), this.current()));
  protected readonly geometry = computed(() => {
    const bars = this.bars();
    const top = Math.max(...bars.map((b) => Math.max(b.reference, b.current)), 1e-9);
    const slot = (W - 2 * PAD) / Math.max(bars.length, 1);
    const w = Math.max(1, (slot - 2) / 2);
    const hOf = (v: number): number => (v / top) * (H - 2 * PAD);
    return bars.map((b, i) => ({
      x: PAD + i * slot + 1,
      w,
      refH: hOf(b.reference),
      refY: H - PAD - hOf(b.reference),
      curH: hOf(b.current),
      curY: H - PAD - hOf(b.current),
      title: `${b.label}: reference ${(b.reference * 100).toFixed(1)} %, current ${(b.current * 100).toFixed(1)} %`,
    }));
  });
  protected readonly label = computed(() => `Histogram of ${this.feature()}: reference vs current share per bin`);
}
