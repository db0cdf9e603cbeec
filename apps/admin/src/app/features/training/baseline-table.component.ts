import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ModelVersionDto } from '@loglens/contracts';
import { formatNumber } from '../../shared/format';

/** The quantiles shown per feature (of those metadata.baseline.quantiles holds). */
const SHOWN = [
  { q: 0.5, label: 'Median' },
  { q: 0.95, label: 'p95' },
  { q: 0.99, label: 'p99' },
  { q: 1, label: 'Max' },
] as const;

/** What the table reads of a version. */
export type BaselineSource = Pick<ModelVersionDto, 'metadata' | 'featureSchema'>;

export interface BaselineRow {
  feature: string;
  /** what the column counts (a template's text for template columns) */
  description: string;
  /** one value per SHOWN quantile; null when the baseline lacks it */
  values: Array<number | null>;
}

/**
 * A version's training baseline as rows: `metadata.baseline = { quantiles, perFeature: { name: number[] } }` with
 * each feature's description from the version's feature schema (the registry keeps it apart from the rest of the
 * metadata). Empty when the metadata has no baseline.
 */
export function baselineRows(version: BaselineSource): BaselineRow[] {
  const baseline = version.metadata['baseline'] as { quantiles?: unknown; perFeature?: unknown } | undefined;
  const quantiles = Array.isArray(baseline?.quantiles) ? (baseline.quantiles as unknown[]) : [];
  const perFeature =
    typeof baseline?.perFeature === 'object' && baseline.perFeature !== null
      ? (baseline.perFeature as Record<string, unknown>)
      : {};
  const described = new Map<string, string>();
  for (const f of version.featureSchema?.features ?? []) described.set(f.name, f.description ?? '');
  return Object.entries(perFeature).map(([feature, qs]) => ({
    feature,
    description: described.get(feature) ?? '',
    values: SHOWN.map(({ q }) => {
      const i = quantiles.indexOf(q);
      const v = Array.isArray(qs) ? qs[i] : undefined;
      return i >= 0 && typeof v === 'number' ? v : null;
    }),
  }));
}

/** The training baseline per feature: what a normal window of the source looked like. */
@Component({
  selector: 'll-baseline-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (rows().length === 0) {
      <p class="muted">This version's metadata holds no training baseline.</p>
    } @else {
      <div class="table-scroll">
        <table class="data-table" [attr.aria-label]="label()">
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">What it counts</th>
              @for (s of shown; track s.q) {
                <th scope="col" class="num">{{ s.label }}</th>
              }
            </tr>
          </thead>
          <tbody>
            @for (r of rows(); track r.feature) {
              <tr class="baseline-row" [attr.data-feature]="r.feature">
                <th scope="row">
                  <code>{{ r.feature }}</code>
                </th>
                <td class="description">{{ r.description || '—' }}</td>
                @for (v of r.values; track $index) {
                  <td class="num">{{ v === null ? '—' : format(v) }}</td>
                }
              </tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
  styles: `
    .description {
      font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
      font-size: 0.85em;
      overflow-wrap: anywhere;
      min-width: 16ch;
    }
  `,
})
export class BaselineTableComponent {
  readonly version = input.required<BaselineSource>();
  readonly label = input('Training baseline per feature');
  protected readonly shown = SHOWN;
  protected readonly rows = computed(() => baselineRows(this.version()));
  protected readonly format = formatNumber;
}
