import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { DRIFT_WINDOW_NAMES, type DriftReportReply, type DriftWindow, type FeatureDriftDto, type ModelVersionDto } from '@loglens/contracts/protocol';
import { type Observable, catchError, forkJoin, map, of, switchMap } from 'rxjs';
import { ApiClient } from '../../core/api-client.service';
import { reloadOnLive } from '../../shared/live-reload';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';

interface MonitoredVersion {
  ref: string;
  features: number | null;
  /** the version's reference profile: where it came from and how many windows it holds (null: none) */
  reference: { origin: string; windows: number; features: number } | null;
  drift: DriftReportReply | null;
  /** the drift report could not be read */
  error: string | null;
}

function referenceOf(v: ModelVersionDto): MonitoredVersion['reference'] {
  const p = v.metadata['referenceProfile'] as { origin?: string; windows?: number; features?: Record<string, unknown> } | undefined;
  if (!p || typeof p !== 'object') return null;
  return { origin: p.origin ?? 'training', windows: p.windows ?? 0, features: Object.keys(p.features ?? {}).length };
}

/** Features worst first: drifted before not, then by how far past the threshold (p-values: smaller is worse). */
export function worstFirst(features: readonly FeatureDriftDto[]): FeatureDriftDto[] {
  const severity = (f: FeatureDriftDto): number => {
    if (f.value === null) return -Infinity;
    return f.statistic === 'ks' || f.statistic === 'chisquare' ? -Math.log10(Math.max(f.value, 1e-300)) + Math.log10(f.threshold) : f.value / f.threshold;
  };
  return [...features].sort((a, b) => Number(b.drifted) - Number(a.drifted) || severity(b) - severity(a));
}

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)} %`);
const num = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : Math.abs(x) >= 1000 || (Math.abs(x) < 0.001 && x !== 0) ? x.toExponential(2) : x.toFixed(3));

/**
 * Drift per serving version over a chosen window (GET /model-management/{version}/drift): the dataset verdict, the
 * worst features with reference vs current, the template mix and unseen templates, score and anomaly-rate change.
 * Versions without live windows or without a reference profile say so.
 */
@Component({
  selector: 'll-drift-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, LoadStateComponent],
  template: `
    <section class="page" aria-labelledby="drift-title">
      <header class="page-header">
        <h1 id="drift-title">Drift</h1>
        <div class="windows" role="group" aria-label="Window">
          @for (w of windows; track w) {
            <button type="button" class="btn" [class.active]="w === window()" [attr.aria-pressed]="w === window()" (click)="window.set(w)">last {{ w }}</button>
          }
        </div>
      </header>

      <ll-load-state
        [state]="serving.state()"
        [empty]="rows().length === 0"
        loadingText="Loading the serving versions and their drift…"
        failedText="Could not load the serving versions."
        emptyText="No model serves a version yet."
        (retry)="serving.reload()"
      />

      @if (rows().length > 0 && reports().length === 0) {
        <div class="notice" role="status">
          <strong>No drift data yet.</strong>
          No serving version has live windows in the last {{ window() }}: the agents profile the windows they score
          (for versions with a reference profile), and the registry compares them with the reference each minute.
        </div>
      }

      @for (r of reports(); track r.ref) {
        <article class="card" [attr.aria-labelledby]="'drift-' + r.ref">
          <h2 class="section-title" [id]="'drift-' + r.ref">
            <a [routerLink]="['/models', r.ref]"><code>{{ r.ref }}</code></a>
            @if (r.drift!.report!.dataset.drifted) {
              <span class="badge bad">dataset drifted</span>
            } @else if (driftedCount(r) > 0) {
              <span class="badge warn">{{ driftedCount(r) }} drifted</span>
            } @else {
              <span class="badge ok">no drift</span>
            }
          </h2>
          <p class="muted">
            {{ r.drift!.report!.currentWindows }} live windows in {{ r.drift!.buckets }} buckets vs {{ r.drift!.report!.referenceWindows }} reference windows
            ({{ r.drift!.report!.referenceOrigin }}) ·
            {{ r.drift!.report!.dataset.driftedFeatures }} of {{ r.drift!.report!.dataset.features }} features drifted (dataset drifts at {{ pct(r.drift!.report!.dataset.threshold) }})
          </p>
          <dl class="signals">
            <div><dt>Template mix</dt><dd>{{ r.drift!.report!.templates ? (r.drift!.report!.templates!.drifted ? 'drifted' : 'stable') + ' (' + r.drift!.report!.templates!.statistic + ' ' + num(r.drift!.report!.templates!.value) + ')' : 'n/a' }}</dd></div>
            <div><dt>Unseen templates</dt><dd>{{ r.drift!.report!.unseenTemplates ? pct(r.drift!.report!.unseenTemplates!.rate) + (r.drift!.report!.unseenTemplates!.drifted ? ' (drifted)' : '') : 'n/a' }}</dd></div>
            <div><dt>Score</dt><dd>{{ r.drift!.report!.score ? (r.drift!.report!.score!.drifted ? 'drifted' : 'stable') : 'n/a' }}</dd></div>
            <div><dt>Anomaly rate</dt><dd>{{ pct(r.drift!.report!.anomalyRate.reference) }} → {{ pct(r.drift!.report!.anomalyRate.current) }}{{ r.drift!.report!.anomalyRate.drifted ? ' (changed)' : '' }}</dd></div>
          </dl>
          <div class="table-scroll">
            <table class="data-table" [attr.aria-label]="'Features of ' + r.ref + ', worst first'">
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
                @for (f of worst(r); track f.feature) {
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
          @if (r.drift!.report!.unseenTemplates?.examples?.length) {
            <p class="muted">
              Unseen:
              @for (e of r.drift!.report!.unseenTemplates!.examples; track e.template) {
                <code>{{ e.template }}</code> ({{ e.lines }} lines)
              }
            </p>
          }
        </article>
      }

      <h2 class="section-title" id="baselines-title">What drift will be measured against</h2>
      @if (rows().length > 0) {
        <div class="table-scroll narrow">
          <table class="data-table" aria-labelledby="baselines-title">
            <thead>
              <tr>
                <th scope="col">Serving version</th>
                <th scope="col" class="num">Features</th>
                <th scope="col">Reference profile</th>
                <th scope="col">Last {{ window() }}</th>
              </tr>
            </thead>
            <tbody>
              @for (r of rows(); track r.ref) {
                <tr>
                  <th scope="row">
                    <a [routerLink]="['/models', r.ref]"
                      ><code>{{ r.ref }}</code></a
                    >
                  </th>
                  <td class="num">{{ r.features ?? 'no schema' }}</td>
                  <td>
                    @if (r.reference) {
                      {{ r.reference.origin }}: {{ r.reference.windows }} windows, {{ r.reference.features }} features
                    } @else {
                      <span class="muted">none: drift cannot be measured (uploaded models get one from their first live windows, not built yet)</span>
                    }
                  </td>
                  <td>{{ r.error ?? stateText(r) }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </section>
  `,
  styles: `
    .narrow {
      max-width: 900px;
    }
    .notice strong {
      display: block;
      margin-bottom: 4px;
    }
    .windows {
      display: flex;
      gap: 4px;
    }
    .windows .active {
      font-weight: 600;
      text-decoration: underline;
    }
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
export class DriftPageComponent {
  private readonly api = inject(ApiClient);
  protected readonly windows = DRIFT_WINDOW_NAMES;
  protected readonly window = signal<DriftWindow>('1h');
  protected readonly pct = pct;
  protected readonly num = num;

  protected readonly serving = createLoader(
    (window: DriftWindow): Observable<MonitoredVersion[]> =>
      this.api.listModels().pipe(
        switchMap(({ models }) => {
          const refs = models.map((m) => m.servingVersion).filter((r): r is string => !!r);
          if (!refs.length) return of([]);
          return forkJoin(
            refs.map((ref) =>
              forkJoin({
                version: this.api.getVersion(ref).pipe(catchError(() => of(null))),
                drift: this.api.drift(ref, window).pipe(
                  map((d) => ({ d, error: null as string | null })),
                  catchError((e: unknown) => of({ d: null, error: `drift unavailable: ${(e as Error).message ?? e}` })),
                ),
              }).pipe(
                map(({ version, drift }): MonitoredVersion => ({
                  ref,
                  features: version?.featureSchema?.features.length ?? null,
                  reference: version ? referenceOf(version) : null,
                  drift: drift.d,
                  error: drift.error,
                })),
              ),
            ),
          );
        }),
      ),
    () => this.window(),
  );
  protected readonly rows = computed(() => this.serving.value() ?? []);
  protected readonly reports = computed(() => this.rows().filter((r) => r.drift?.state === 'ok' && r.drift.report));

  constructor() {
    reloadOnLive(this.serving);
  }

  protected worst(r: MonitoredVersion): FeatureDriftDto[] {
    const report = r.drift?.report;
    return report ? worstFirst([...report.features, ...(report.score ? [report.score] : [])]) : [];
  }

  protected driftedCount(r: MonitoredVersion): number {
    return r.drift?.report?.features.filter((f) => f.drifted).length ?? 0;
  }

  protected stateText(r: MonitoredVersion): string {
    switch (r.drift?.state) {
      case 'ok':
        return r.drift.report?.dataset.drifted ? 'dataset drifted' : `${this.driftedCount(r)} features drifted`;
      case 'no-data':
        return 'no live windows';
      case 'no-reference':
        return 'no reference profile';
      default:
        return '—';
    }
  }
}
