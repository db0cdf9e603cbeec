import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import type { JobDto } from '@loglens/contracts';
import { type Subscription, catchError, debounceTime, map, merge, of } from 'rxjs';
import { AnalysisData } from '../../core/data/analysis.data';
import { ModelsData } from '../../core/data/models.data';
import { SourcesData } from '../../core/data/sources.data';
import { TrainingData } from '../../core/data/training.data';
import { ApiError } from '../../core/api-error';
import { LiveEventsService } from '../../core/live-events.service';
import { SessionService } from '../../core/session.service';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { JobResultComponent } from './job-result.component';
import { JobStatusComponent } from './job-status.component';
import { JobWatcher } from './job-watcher.service';
import { JobsTableComponent } from './jobs-table.component';
import { knownSources } from './train-form';
import { TrainFormComponent, type TrainSubmit } from './train-form.component';

const RECENT_JOBS = 20;

function messageOf(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/**
 * Train a per-source model: the form (operators), the job it starts followed live until it ends, its result (version,
 * validation, summary, baseline) with bind and deploy, and the recent jobs. `?job=<id>` shows one job, so a job's view
 * can be reloaded or shared.
 */
@Component({
  selector: 'll-train-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    MatButtonModule,
    MatProgressBarModule,
    LoadStateComponent,
    TrainFormComponent,
    JobStatusComponent,
    JobResultComponent,
    JobsTableComponent,
  ],
  template: `
    <section class="page" aria-labelledby="train-title">
      <header class="page-header"><h1 id="train-title">Train a model</h1></header>
      <p class="muted intro">
        Learn a detector from a source's own logs — a stretch of the LOGS stream or a log file, assumed mostly
        normal. The job mines the source's templates, picks a window length, trains, registers and validates a
        version; bound to the source, it scores that source's windows instead of the default model.
      </p>

      @if (session.canChange()) {
        <ll-train-form
          [models]="modelNames()"
          [sources]="sources()"
          [busy]="submitting()"
          (submitted)="start($event)"
        />
        @if (submitting()) {
          <div class="sending" role="status">
            <p>Sending the request{{ sendingFile() ? ' and the log file' : '' }}…</p>
            <mat-progress-bar mode="indeterminate" aria-label="Sending the train request" />
          </div>
        }
        @if (submitError()) {
          <div class="error-box" role="alert">
            <strong>Could not start the job:</strong> {{ submitError() }}
          </div>
        }
      } @else if (session.roleState().status === 'known') {
        <div class="notice" role="status">
          Your key is a <strong>viewer</strong> key: it can follow train jobs but not start them. Use an
          operator or admin key (<a routerLink="/settings">Settings</a>).
        </div>
      } @else if (session.roleState().status === 'no-key') {
        <div class="notice" role="status">
          Training needs an operator or admin key. <a routerLink="/settings">Set one in Settings</a>.
        </div>
      }

      @if (job(); as j) {
        <div class="job">
          <ll-job-status [job]="j" />
          @if (j.state === 'succeeded') {
            <ll-job-result
              [job]="j"
              [bound]="bound()"
              [servingRef]="servingOf(j.model)"
              (changed)="reloadAfterChange()"
            />
          }
        </div>
      } @else if (watchError()) {
        <div class="error-box" role="alert">{{ watchError() }}</div>
      }

      <div class="jobs-head">
        <h2 class="section-title" id="jobs-title">Recent jobs</h2>
        <button mat-stroked-button type="button" (click)="jobs.reload()">Refresh</button>
      </div>
      <ll-load-state
        [state]="jobs.state()"
        [empty]="(jobs.value() ?? []).length === 0"
        loadingText="Loading the jobs…"
        failedText="Could not load the train jobs."
        emptyText="No model has been trained here yet."
        (retry)="jobs.reload()"
      />
      @if ((jobs.value() ?? []).length > 0) {
        <ll-jobs-table [jobs]="jobs.value() ?? []" [selected]="jobId() ?? null" />
      }
    </section>
  `,
  styles: `
    .intro {
      margin-top: -8px;
      max-width: 90ch;
    }
    .job {
      margin-top: 8px;
    }
    .sending {
      max-width: 760px;
      margin: 12px 0;
    }
    .jobs-head {
      display: flex;
      align-items: center;
      gap: 12px;
      margin-top: 16px;
    }
    .jobs-head h2 {
      flex: 1 1 auto;
    }
  `,
})
export class TrainPageComponent {
  private readonly modelsData = inject(ModelsData);
  private readonly analysisData = inject(AnalysisData);
  private readonly sourcesData = inject(SourcesData);
  private readonly training = inject(TrainingData);
  private readonly watcher = inject(JobWatcher);
  private readonly router = inject(Router);
  protected readonly session = inject(SessionService);

  /** `?job=`: the job to show */
  // the route's query parameter is `job`; the class already has a `job` member (the followed job)
  // eslint-disable-next-line @angular-eslint/no-input-rename
  readonly jobId = input<string | undefined>(undefined, { alias: 'job' });

  private readonly models = createLoader(() => this.modelsData.list());
  private readonly bindings = createLoader(() => this.sourcesData.bindings());
  /** recent stored windows name the sources analysed so far (a failure only means fewer suggestions) */
  private readonly resultSources = createLoader(() =>
    this.analysisData.results({ limit: 1000 }).pipe(
      map((r) => r.results),
      catchError(() => of([])),
    ),
  );
  protected readonly jobs = createLoader(() => this.training.jobs({ limit: RECENT_JOBS }));

  protected readonly modelNames = computed(() => (this.models.value()?.models ?? []).map((m) => m.name));
  protected readonly sources = computed(() =>
    knownSources(this.bindings.value() ?? [], this.resultSources.value() ?? []),
  );
  protected readonly bound = computed(() =>
    Object.fromEntries((this.bindings.value() ?? []).map((b) => [b.source, b.model])),
  );

  protected readonly submitting = signal(false);
  protected readonly sendingFile = signal(false);
  protected readonly submitError = signal<string | null>(null);
  protected readonly job = signal<JobDto | null>(null);
  protected readonly watchError = signal<string | null>(null);
  private watching?: Subscription;

  constructor() {
    const live = inject(LiveEventsService);
    // the list follows every job's changes; the progress ticks of a running job do not need a reload each
    live.jobs.pipe(debounceTime(500), takeUntilDestroyed()).subscribe(() => this.jobs.reload());
    merge(live.bindings, live.events)
      .pipe(debounceTime(300), takeUntilDestroyed())
      .subscribe(() => this.reloadAfterChange());
    effect(() => {
      const id = this.jobId();
      untracked(() => this.watch(id ?? null));
    });
    inject(DestroyRef).onDestroy(() => this.watching?.unsubscribe());
  }

  protected servingOf(model: string): string | null {
    return this.models.value()?.models.find((m) => m.name === model)?.servingVersion ?? null;
  }

  protected start(request: TrainSubmit): void {
    this.submitting.set(true);
    this.sendingFile.set(request.file !== null);
    this.submitError.set(null);
    const call = request.file
      ? this.training.trainFromFile(request.model, request.file, request.request)
      : this.training.train(request.model, request.request);
    call.subscribe({
      next: (job) => {
        this.submitting.set(false);
        this.job.set(job);
        this.jobs.reload();
        void this.router.navigate([], { queryParams: { job: job.id } });
      },
      error: (err: unknown) => {
        this.submitting.set(false);
        this.submitError.set(messageOf(err));
      },
    });
  }

  protected reloadAfterChange(): void {
    this.bindings.reload();
    this.models.reload();
  }

  private watch(id: string | null): void {
    this.watching?.unsubscribe();
    this.watchError.set(null);
    if (!id) {
      this.job.set(null);
      return;
    }
    if (this.job()?.id !== id) this.job.set(null);
    this.watching = this.watcher.watch(id).subscribe({
      next: (j) => this.job.set(j),
      error: (err: unknown) => this.watchError.set(messageOf(err)),
      complete: () => this.jobs.reload(),
    });
  }
}
