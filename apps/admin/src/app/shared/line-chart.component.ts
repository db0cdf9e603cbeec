import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

export interface ChartPoint {
  /** epoch ms */
  t: number;
  /** null: no data in this bucket (the line breaks) */
  v: number | null;
}

export interface ChartSeries {
  name: string;
  color: string;
  points: ChartPoint[];
}

const W = 640;
const H = 200;
const PAD = { left: 52, right: 12, top: 12, bottom: 26 };

/** 1, 2 or 5 × 10^n at or above `max / steps`, so the grid lines land on round numbers. */
export function niceStep(max: number, steps: number): number {
  if (!(max > 0)) return 1;
  const raw = max / steps;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function clock(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * A small time-series line chart drawn as inline SVG (the workspace has no chart library, and one chart type does
 * not justify a dependency). Lines break where a bucket has no value.
 */
@Component({
  selector: 'll-line-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure>
      <figcaption>{{ title() }}</figcaption>
      <svg
        [attr.viewBox]="'0 0 ' + width + ' ' + height"
        role="img"
        [attr.aria-label]="summary()"
        preserveAspectRatio="xMidYMid meet"
      >
        @for (g of grid(); track g.y) {
          <line
            class="grid"
            [attr.x1]="pad.left"
            [attr.x2]="width - pad.right"
            [attr.y1]="g.y"
            [attr.y2]="g.y"
          />
          <text class="tick" [attr.x]="pad.left - 6" [attr.y]="g.y + 4" text-anchor="end">{{ g.label }}</text>
        }
        @for (x of xTicks(); track x.x) {
          <text class="tick" [attr.x]="x.x" [attr.y]="height - 8" [attr.text-anchor]="x.anchor">
            {{ x.label }}
          </text>
        }
        @for (s of paths(); track s.name) {
          <path class="line" [attr.d]="s.d" [attr.stroke]="s.color" />
          @for (p of s.dots; track $index) {
            <circle [attr.cx]="p.x" [attr.cy]="p.y" r="2.5" [attr.fill]="s.color" />
          }
        }
        @if (!hasData()) {
          <text class="nodata" [attr.x]="width / 2" [attr.y]="height / 2" text-anchor="middle">
            no data in this window
          </text>
        }
      </svg>
      @if (series().length > 1) {
        <ul class="legend">
          @for (s of series(); track s.name) {
            <li><span class="swatch" [style.background]="s.color"></span>{{ s.name }}</li>
          }
        </ul>
      }
    </figure>
  `,
  styles: `
    :host {
      display: block;
    }
    figure {
      margin: 0;
    }
    figcaption {
      font: var(--mat-sys-title-small);
      margin-bottom: 4px;
    }
    svg {
      width: 100%;
      height: auto;
      display: block;
    }
    .grid {
      stroke: var(--mat-sys-outline-variant);
      stroke-width: 1;
    }
    .tick,
    .nodata {
      font-size: 11px;
      fill: var(--mat-sys-on-surface-variant);
    }
    .line {
      fill: none;
      stroke-width: 2;
      stroke-linejoin: round;
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      list-style: none;
      margin: 4px 0 0;
      padding: 0;
      font: var(--mat-sys-label-medium);
    }
    .swatch {
      display: inline-block;
      width: 12px;
      height: 3px;
      margin-right: 6px;
      vertical-align: middle;
    }
  `,
})
export class LineChartComponent {
  readonly title = input.required<string>();
  readonly series = input.required<ChartSeries[]>();
  readonly format = input<(v: number) => string>((v) => String(v));

  protected readonly width = W;
  protected readonly height = H;
  protected readonly pad = PAD;

  private readonly domain = computed(() => {
    const pts = this.series().flatMap((s) => s.points);
    const ts = pts.map((p) => p.t);
    const vs = pts.map((p) => p.v).filter((v): v is number => v !== null && Number.isFinite(v));
    const t0 = ts.length ? Math.min(...ts) : 0;
    const t1 = ts.length ? Math.max(...ts) : 1;
    const step = niceStep(Math.max(0, ...vs), 4);
    const yMax = Math.max(step, Math.ceil(Math.max(0, ...vs) / step) * step);
    return { t0, t1: t1 === t0 ? t0 + 1 : t1, yMax, step, hasValues: vs.length > 0 };
  });

  protected readonly hasData = computed(() => this.domain().hasValues);

  private x(t: number): number {
    const { t0, t1 } = this.domain();
    return PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  }

  private y(v: number): number {
    return H - PAD.bottom - (v / this.domain().yMax) * (H - PAD.top - PAD.bottom);
  }

  protected readonly grid = computed(() => {
    const { yMax, step } = this.domain();
    const fmt = this.format();
    const out: Array<{ y: number; label: string }> = [];
    for (let v = 0; v <= yMax + step / 2; v += step) out.push({ y: this.y(v), label: fmt(v) });
    return out;
  });

  protected readonly xTicks = computed(() => {
    const { t0, t1 } = this.domain();
    if (!this.series().some((s) => s.points.length)) return [];
    return [
      { x: this.x(t0), label: clock(t0), anchor: 'start' },
      { x: this.x((t0 + t1) / 2), label: clock((t0 + t1) / 2), anchor: 'middle' },
      { x: this.x(t1), label: clock(t1), anchor: 'end' },
    ];
  });

  protected readonly paths = computed(() =>
    this.series().map((s) => {
      let d = '';
      let pen = false;
      const dots: Array<{ x: number; y: number }> = [];
      for (const p of [...s.points].sort((a, b) => a.t - b.t)) {
        if (p.v === null || !Number.isFinite(p.v)) {
          pen = false;
          continue;
        }
        const x = this.x(p.t).toFixed(1);
        const y = this.y(p.v).toFixed(1);
        d += `${pen ? 'L' : 'M'}${x},${y} `;
        pen = true;
        dots.push({ x: Number(x), y: Number(y) });
      }
      // dots only when sparse: a lone bucket would otherwise be invisible
      return { name: s.name, color: s.color, d: d.trim(), dots: dots.length <= 12 ? dots : [] };
    }),
  );

  protected readonly summary = computed(() => {
    const fmt = this.format();
    const parts = this.series().map((s) => {
      const vs = s.points.map((p) => p.v).filter((v): v is number => v !== null);
      if (!vs.length) return `${s.name}: no data`;
      return `${s.name}: latest ${fmt(vs[vs.length - 1])}, peak ${fmt(Math.max(...vs))}`;
    });
    return `${this.title()}. ${parts.join('; ')}.`;
  });
}
