import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { DRIFT_WINDOW_NAMES, type DriftReportReply, type DriftWindow, type ModelVersionDto } from '@loglens/contracts/protocol';
import { type Observable, catchError, debounceTime, forkJoin, map, of, switchMap } from 'rxjs';
import { ModelsData } from '../../core/data/models.data';
import { LiveEventsService } from '../../core/live-events.service';
import { reloadOnLive } from '../../shared/live-reload';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { DriftData } from '../../core/data/drift.data';
import { DriftVersionCardComponent } from './drift-version-card.component';

export { worstFirst } from './drift-version-card.component';

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

/**
 * Drift per serving version over a chosen window (GET /model-management/{version}/drift): one card per version with
 * live windows (ll-drift-version-card: verdict, histograms, time series with deploy marks, features), and what each
 * version is measured against — its reference profile, or the progress of its reference window (uploaded models).
 * Reloads on registry changes and on drift-detected / drift-cleared.
 */
@Component({
  selector: 'll-drift-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, LoadStateComponent, DriftVersionCardComponent],
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
          No serving version has live windows in the last {{ window() }}: the agents and workers profile what they score
          (against each version's reference profile), and the registry compares them with the reference each minute.
        </div>
      }

      @for (r of reports(); track r.ref) {
        <ll-drift-version-card [drift]="r.drift!" />
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
                    } @else if (r.drift?.referenceWindow; as w) {
                      <span class="collecting">
                        collecting its reference window: {{ w.collected }} of {{ w.of }} live windows
                        <progress [value]="w.collected" [max]="w.of" [attr.aria-label]="'Reference window of ' + r.ref"></progress>
                      </span>
                    } @else {
                      <span class="muted">none: drift cannot be measured</span>
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
    .collecting progress {
      display: block;
      width: 200px;
    }
  `,
})
export class DriftPageComponent {
  private readonly modelsData = inject(ModelsData);
  private readonly driftData = inject(DriftData);
  protected readonly windows = DRIFT_WINDOW_NAMES;
  protected readonly window = signal<DriftWindow>('1h');

  protected readonly serving = createLoader(
    (window: DriftWindow): Observable<MonitoredVersion[]> =>
      this.modelsData.list().pipe(
        switchMap(({ models }) => {
          const refs = models.map((m) => m.servingVersion).filter((r): r is string => !!r);
          if (!refs.length) return of([]);
          return forkJoin(
            refs.map((ref) =>
              forkJoin({
                version: this.modelsData.version(ref).pipe(catchError(() => of(null))),
                drift: this.driftData.drift(ref, window).pipe(
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
    inject(LiveEventsService)
      .drift.pipe(debounceTime(300), takeUntilDestroyed())
      .subscribe(() => this.serving.reload());
  }

  protected stateText(r: MonitoredVersion): string {
    switch (r.drift?.state) {
      case 'ok': {
        const drifted = r.drift.report?.features.filter((f) => f.drifted).length ?? 0;
        return r.drift.report?.dataset.drifted ? 'dataset drifted' : `${drifted} features drifted`;
      }
      case 'no-data':
        return 'no live windows';
      case 'collecting-reference':
        return 'collecting its reference';
      case 'no-reference':
        return 'no usable reference profile';
      default:
        return '—';
    }
  }
}
