import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ModelVersionDto } from '@loglens/contracts';
import { type Observable, catchError, forkJoin, map, of, switchMap } from 'rxjs';
import { ApiClient } from '../../core/api-client.service';
import { reloadOnLive } from '../../shared/live-reload';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';

interface MonitoredVersion {
  ref: string;
  features: number | null;
  /** features with training quantiles in metadata.baseline.perFeature, the reference drift would compare with */
  baselineFeatures: number;
}

function monitored(v: ModelVersionDto): MonitoredVersion {
  const baseline = v.metadata['baseline'] as { perFeature?: Record<string, unknown> } | undefined;
  return {
    ref: v.ref,
    features: v.featureSchema?.features.length ?? null,
    baselineFeatures: Object.keys(baseline?.perFeature ?? {}).length,
  };
}

/**
 * Drift per feature needs live feature distributions from the workers, which no API reports yet. Until one does,
 * this page says so plainly and shows what drift would be measured against, instead of inventing numbers.
 */
@Component({
  selector: 'll-drift-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, LoadStateComponent],
  template: `
    <section class="page" aria-labelledby="drift-title">
      <header class="page-header"><h1 id="drift-title">Drift</h1></header>

      <div class="notice" role="status">
        <strong>No drift data yet.</strong>
        The gateway does not report feature drift yet: no service measures how live feature values move away
        from what a version was trained on. When it does, each serving version's features appear here with
        their drift score, worst first.
      </div>

      <h2 class="section-title" id="baselines-title">What drift will be measured against</h2>
      <ll-load-state
        [state]="serving.state()"
        [empty]="rows().length === 0"
        loadingText="Loading the serving versions…"
        failedText="Could not load the serving versions."
        emptyText="No model serves a version yet."
        (retry)="serving.reload()"
      />
      @if (rows().length > 0) {
        <div class="table-scroll narrow">
          <table class="data-table" aria-labelledby="baselines-title">
            <thead>
              <tr>
                <th scope="col">Serving version</th>
                <th scope="col" class="num">Features</th>
                <th scope="col">Training baseline</th>
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
                    @if (r.baselineFeatures > 0) {
                      quantiles for {{ r.baselineFeatures }} features
                    } @else {
                      <span class="muted">none recorded: drift could not be scored</span>
                    }
                  </td>
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
      max-width: 720px;
    }
    .notice strong {
      display: block;
      margin-bottom: 4px;
    }
  `,
})
export class DriftPageComponent {
  private readonly api = inject(ApiClient);

  protected readonly serving = createLoader(
    (): Observable<MonitoredVersion[]> =>
      this.api.listModels().pipe(
        switchMap(({ models }) => {
          const refs = models.map((m) => m.servingVersion).filter((r): r is string => !!r);
          if (!refs.length) return of([]);
          return forkJoin(
            refs.map((ref) =>
              this.api.getVersion(ref).pipe(
                map(monitored),
                catchError(() => of<MonitoredVersion>({ ref, features: null, baselineFeatures: 0 })),
              ),
            ),
          );
        }),
      ),
  );
  protected readonly rows = computed(() => this.serving.value() ?? []);

  constructor() {
    reloadOnLive(this.serving);
  }
}
