import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  untracked,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type {
  HistoryEntryDto,
  ModelSummaryDto,
  ModelVersionDto,
  ValidationReportDto,
} from '@loglens/contracts';
import { type Observable, catchError, forkJoin, map, of, switchMap, throwError } from 'rxjs';
import { LifecycleData } from '../../core/data/lifecycle.data';
import { ModelsData } from '../../core/data/models.data';
import { ApiError } from '../../core/api-error';
import { IconComponent } from '../../shared/icon.component';
import { reloadOnLive } from '../../shared/live-reload';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { ValidationReportComponent } from '../../shared/validation-report.component';
import { VersionActionRunner } from './version-action-runner';
import { VersionActionsComponent } from './version-actions.component';
import { VersionFactsComponent } from './version-facts.component';
import { VersionLiveMetricsComponent } from './version-live-metrics.component';
import { VersionSchemaComponent } from './version-schema.component';

interface Detail {
  version: ModelVersionDto;
  model: ModelSummaryDto | null;
  history: HistoryEntryDto[];
}

/** null: the version has never been validated (the gateway answers 404) */
function validationOrNull(report$: Observable<ValidationReportDto>): Observable<ValidationReportDto | null> {
  return report$.pipe(
    catchError((err: unknown) =>
      err instanceof ApiError && err.status === 404 ? of(null) : throwError(() => err),
    ),
  );
}

/**
 * One version: its actions, facts, validation report, live metrics and schema. The page loads the version (with its
 * model and recent history) and the validation report, and reloads both after an action or a live event of the model;
 * each section is its own component.
 */
@Component({
  selector: 'll-version-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [VersionActionRunner],
  imports: [
    RouterLink,
    MatButtonModule,
    IconComponent,
    LoadStateComponent,
    ValidationReportComponent,
    VersionActionsComponent,
    VersionFactsComponent,
    VersionLiveMetricsComponent,
    VersionSchemaComponent,
  ],
  template: `
    <section class="page" aria-labelledby="version-title">
      <nav class="crumbs" aria-label="Breadcrumb"><a routerLink="/models">Models</a> / {{ ref() }}</nav>
      <header class="page-header">
        <h1 id="version-title">
          @if (version(); as v) {
            {{ v.model }} <span class="muted">v{{ v.version }}</span>
            <span class="status-chip status-{{ v.status }}">{{ v.status }}</span>
            @if (v.archivedAt) {
              <span class="status-chip status-retired">archived</span>
            }
          } @else {
            {{ ref() }}
          }
        </h1>
        <button mat-stroked-button type="button" (click)="reloadAll()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
      </header>

      @if (version(); as v) {
        <ll-version-actions [version]="v" [model]="model()" [history]="history()" />
      }

      <ll-load-state
        [state]="detail.state()"
        loadingText="Loading the version…"
        failedText="Could not load this version."
        (retry)="detail.reload()"
      />

      @if (version(); as v) {
        <ll-version-facts [version]="v" [model]="model()" />

        <h2 class="section-title" id="validation-title">Validation report</h2>
        <ll-load-state
          [state]="validation.state()"
          loadingText="Loading the validation report…"
          failedText="Could not load the validation report."
          (retry)="validation.reload()"
        />
        @if (validation.state().status !== 'loading' || validation.value()) {
          @if (validation.value(); as report) {
            <ll-validation-report [report]="report" label="Validation checks of this version" />
          } @else if (validation.state().status === 'ready') {
            <p class="muted">Not validated yet.</p>
          }
        }

        <h2 class="section-title" id="live-title">Live metrics</h2>
        <ll-version-live-metrics [versionRef]="v.ref" />

        <ll-version-schema [version]="v" />
      }
    </section>
  `,
  styles: `
    .crumbs {
      margin-bottom: 8px;
      color: var(--mat-sys-on-surface-variant);
    }
    h1 .status-chip {
      vertical-align: middle;
      margin-left: 8px;
    }
  `,
})
export class VersionDetailPageComponent {
  private readonly modelsData = inject(ModelsData);
  private readonly lifecycle = inject(LifecycleData);
  private readonly runner = inject(VersionActionRunner);

  /** from the route (`/models/:ref`) */
  readonly ref = input.required<string>();

  protected readonly detail = createLoader(
    (ref: string): Observable<Detail> =>
      this.modelsData.version(ref).pipe(
        switchMap((version) =>
          forkJoin({
            models: this.modelsData.list(),
            // only for the rollback target: the page is still useful without it
            history: this.lifecycle
              .history({ model: version.model, limit: 20 })
              .pipe(catchError(() => of({ entries: [] as HistoryEntryDto[] }))),
          }).pipe(
            map(({ models, history }) => ({
              version,
              model: models.models.find((m) => m.name === version.model) ?? null,
              history: history.entries,
            })),
          ),
        ),
      ),
    () => this.ref(),
  );

  protected readonly validation = createLoader(
    (ref: string) => validationOrNull(this.lifecycle.validation(ref)),
    () => this.ref(),
  );

  protected readonly version = computed(() => this.detail.value()?.version ?? null);
  protected readonly model = computed(() => this.detail.value()?.model ?? null);
  protected readonly history = computed(() => this.detail.value()?.history ?? []);

  private readonly liveMetrics = viewChild(VersionLiveMetricsComponent);

  constructor() {
    reloadOnLive(this.detail, (e) => e.data.model === this.version()?.model);
    reloadOnLive(this.validation, (e) => e.data.model === this.version()?.model);
    // an action that reached the gateway (done or refused) may have changed the version and its report
    effect(() => {
      if (this.runner.changed() === 0) return;
      untracked(() => {
        this.detail.reload();
        this.validation.reload();
      });
    });
  }

  protected reloadAll(): void {
    this.detail.reload();
    this.validation.reload();
    this.liveMetrics()?.reload();
  }
}
