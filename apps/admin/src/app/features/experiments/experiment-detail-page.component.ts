import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type { ExperimentDto } from '@loglens/contracts/protocol';
import { EMPTY, debounceTime, filter, interval, switchMap } from 'rxjs';
import { LiveEventsService } from '../../core/live-events.service';
import { SessionService } from '../../core/session.service';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { ExperimentActionsComponent } from './experiment-actions.component';
import { ExperimentArmsTableComponent } from './experiment-arms-table.component';
import { newer, promoteTarget } from './experiment-detail';
import { ExperimentFactsComponent } from './experiment-facts.component';
import { ExperimentSignificanceComponent } from './experiment-significance.component';
import { ExperimentStepsComponent } from './experiment-steps.component';
import { ExperimentsData } from './experiments.data';
import { ACTIVE_STATES } from './experiments.model';

/** While an experiment is active its figures grow without an event (workers report every second): re-read this often. */
const REPORT_REFRESH_MS = 5000;

/**
 * One experiment: its arms and settings, the per-arm report with the significance tests worded for an operator, the
 * history of its steps, and pause / resume / promote / abort (operator and admin keys, each after a confirmation).
 * The page loads the experiment and its report and reloads them on a live event or an action; each section is its own
 * component.
 */
@Component({
  selector: 'll-experiment-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    MatButtonModule,
    IconComponent,
    LoadStateComponent,
    ExperimentActionsComponent,
    ExperimentArmsTableComponent,
    ExperimentFactsComponent,
    ExperimentSignificanceComponent,
    ExperimentStepsComponent,
  ],
  template: `
    <section class="page" aria-labelledby="experiment-title">
      <header class="page-header">
        <h1 id="experiment-title">Experiment on {{ experiment()?.model ?? '…' }}</h1>
        <span class="actions">
          <a mat-stroked-button routerLink="/experiments">All experiments</a>
          <button mat-stroked-button type="button" (click)="refresh()">
            <ll-icon name="refresh" class="btn-icon" /> Refresh
          </button>
        </span>
      </header>
      <ll-load-state
        [state]="loaded.state()"
        [empty]="false"
        loadingText="Loading the experiment…"
        failedText="Could not load the experiment."
        (retry)="loaded.reload()"
      />
      @if (experiment(); as e) {
        <ll-experiment-facts [experiment]="e" />
        <ll-experiment-actions
          [experiment]="e"
          [active]="active()"
          [target]="target()"
          (changed)="onChanged($event)"
        />

        <h2>Report</h2>
        <ll-load-state
          [state]="report.state()"
          [empty]="false"
          loadingText="Loading the report…"
          failedText="Could not load the report."
          (retry)="report.reload()"
        />
        @if (report.value(); as r) {
          <ll-experiment-arms-table [arms]="r.arms" [shadow]="e.kind === 'shadow'" />
          <ll-experiment-significance [report]="r" [control]="e.control" />
        }

        <h2>Steps</h2>
        <ll-experiment-steps [steps]="e.steps" />
      }
    </section>
  `,
  styles: `
    .actions {
      display: flex;
      gap: 8px;
    }
  `,
})
export class ExperimentDetailPageComponent {
  private readonly api = inject(ExperimentsData);

  /** the route's :id */
  readonly id = input.required<string>();

  /** the reply of the last action, shown until the next load */
  private readonly changed = signal<ExperimentDto | null>(null);

  protected readonly loaded = createLoader(
    (id: string) => this.api.get(id),
    () => this.id(),
  );
  protected readonly report = createLoader(
    (id: string) => this.api.report(id),
    () => this.id(),
  );
  /**
   * The newer of the last load and the last action's reply: a reload keeps showing its previous value until it
   * answers, and that value must not bring back the buttons of a state the action just left.
   */
  protected readonly experiment = computed(() => newer(this.loaded.value(), this.changed(), this.id()));
  protected readonly active = computed(() => {
    const e = this.experiment();
    return e !== null && ACTIVE_STATES.includes(e.state);
  });
  protected readonly target = computed(() => {
    const e = this.experiment();
    return e ? promoteTarget(e, this.report.value()?.recommendation.winner ?? null) : '';
  });

  constructor() {
    // the key's role is asked at once, beside the experiment, so the actions can show with it
    inject(SessionService);
    inject(LiveEventsService)
      .experiments.pipe(
        filter((ev) => ev.experiment.id === this.id()),
        debounceTime(300),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.refresh());
    // the figures grow with the traffic, not with events: re-read the report while the experiment is active
    toObservable(this.active)
      .pipe(
        switchMap((active) => (active ? interval(REPORT_REFRESH_MS) : EMPTY)),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.report.reload());
  }

  protected refresh(): void {
    this.loaded.reload();
    this.report.reload();
  }

  protected onChanged(after: ExperimentDto): void {
    this.changed.set(after);
    this.report.reload();
  }
}
