import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type { JobDto, ModelVersionDto, ValidationReportDto } from '@loglens/contracts';
import { type Observable, catchError, of, throwError } from 'rxjs';
import { LifecycleData } from '../../core/data/lifecycle.data';
import { ModelsData } from '../../core/data/models.data';
import { ApiError } from '../../core/api-error';
import { SessionService } from '../../core/session.service';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { ValidationReportComponent } from '../../shared/validation-report.component';
import { type ActionResult, ModelActions } from '../../shared/actions/model-actions.service';
import { SourceActions } from '../../shared/actions/source-actions.service';
import { BaselineTableComponent } from './baseline-table.component';
import { TrainingSummaryComponent } from './training-summary.component';

function orNullOn404<T>(call: Observable<T>): Observable<T | null> {
  return call.pipe(
    catchError((err: unknown) =>
      err instanceof ApiError && err.status === 404 ? of(null) : throwError(() => err),
    ),
  );
}

const VALIDATION_TEXT: Record<'pass' | 'warn' | 'fail', string> = {
  pass: 'validation passed',
  warn: 'validation passed with warnings',
  fail: 'validation failed',
};

/**
 * What a succeeded train job produced: the registered version with its validation report, the training summary and
 * the baseline, and the two steps that put it to work — bind the job's sources to the model, deploy the version —
 * each behind a confirm step. `changed` fires after either, so the page reloads what depends on them.
 */
@Component({
  selector: 'll-job-result',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    MatButtonModule,
    LoadStateComponent,
    ValidationReportComponent,
    BaselineTableComponent,
    TrainingSummaryComponent,
  ],
  template: `
    @let r = result();
    @if (r) {
      <h2 class="section-title" id="result-title">Registered {{ r.version }}</h2>
      <p class="headline">
        <a [routerLink]="['/models', r.version]">Open {{ r.version }}</a>
        @if (r.validation) {
          · <span class="outcome outcome-{{ r.validation }}">{{ validationText[r.validation] }}</span>
        }
        @if (version(); as v) {
          · status <strong class="version-status">{{ v.status }}</strong>
        }
        @if (boundText()) {
          · {{ boundText() }}
        }
      </p>

      @if (session.canChange()) {
        <div class="actions">
          <button mat-flat-button type="button" [disabled]="busy() || allBound()" (click)="bind()">
            {{ allBound() ? 'Sources bound' : 'Bind to sources' }}
          </button>
          <button mat-stroked-button type="button" [disabled]="busy() || !canDeploy()" (click)="deploy()">
            {{ version()?.status === 'serving' ? 'Serving' : 'Deploy' }}
          </button>
        </div>
        @if (outcome(); as o) {
          <div class="error-box" role="alert">{{ o.message }}</div>
        }
      }

      <h3 class="sub-title">Training summary</h3>
      <ll-training-summary [raw]="r.summary" />

      <h3 class="sub-title" id="validation-title">Validation report</h3>
      <ll-load-state
        [state]="validation.state()"
        loadingText="Loading the validation report…"
        failedText="Could not load the validation report."
        (retry)="validation.reload()"
      />
      @if (validation.value(); as report) {
        <ll-validation-report [report]="report" [label]="'Validation checks of ' + r.version" />
      } @else if (validation.state().status === 'ready') {
        <p class="muted">No validation report is stored for {{ r.version }}.</p>
      }

      <h3 class="sub-title">Baseline</h3>
      <p class="muted">What a normal window of the training stretch looked like, per feature.</p>
      <ll-load-state
        [state]="versionLoader.state()"
        loadingText="Loading the version…"
        failedText="Could not load the version's baseline."
        (retry)="versionLoader.reload()"
      />
      @if (version(); as v) {
        <ll-baseline-table [version]="v" [label]="'Training baseline of ' + r.version" />
      }
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .headline {
      margin-top: 0;
    }
    .outcome-pass {
      color: #1a7f37;
      font-weight: 600;
    }
    .outcome-warn {
      color: #9a6700;
      font-weight: 600;
    }
    .outcome-fail {
      color: var(--mat-sys-error);
      font-weight: 600;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin: 8px 0 16px;
    }
    .sub-title {
      font: var(--mat-sys-title-small);
      margin: 20px 0 4px;
    }
  `,
})
export class JobResultComponent {
  private readonly modelsData = inject(ModelsData);
  private readonly lifecycle = inject(LifecycleData);
  private readonly modelActions = inject(ModelActions);
  private readonly sourceActions = inject(SourceActions);
  protected readonly session = inject(SessionService);

  readonly job = input.required<JobDto>();
  /** source → model bound now */
  readonly bound = input<Record<string, string>>({});
  /** what the job's model serves now */
  readonly servingRef = input<string | null>(null);
  readonly changed = output<void>();

  protected readonly validationText = VALIDATION_TEXT;
  protected readonly result = computed(() => this.job().result ?? null);
  private readonly ref = computed(() => this.result()?.version ?? null);
  protected readonly versionLoader = createLoader(
    (ref: string | null) => (ref ? orNullOn404(this.modelsData.version(ref)) : of(null)),
    () => this.ref(),
  );
  protected readonly version = computed<ModelVersionDto | null>(() => this.versionLoader.value());
  protected readonly validation = createLoader(
    (ref: string | null): Observable<ValidationReportDto | null> =>
      ref ? orNullOn404(this.lifecycle.validation(ref)) : of(null),
    () => this.ref(),
  );
  protected readonly busy = signal(false);
  protected readonly outcome = signal<ActionResult | null>(null);

  private readonly sources = computed(() => this.job().params.sources);
  protected readonly allBound = computed(() =>
    this.sources().every((s) => this.bound()[s] === this.job().model),
  );
  protected readonly boundText = computed(() => {
    const model = this.job().model;
    const bound = this.sources().filter((s) => this.bound()[s] === model);
    return bound.length ? `${bound.join(', ')} scored by ${model}` : '';
  });
  protected readonly canDeploy = computed(() => {
    const v = this.version();
    return !!v && v.status !== 'serving' && v.status !== 'invalid' && v.status !== 'retired';
  });

  protected bind(): void {
    this.act(this.sourceActions.bindAll(this.sources(), this.job().model, this.bound(), this.servingRef()));
  }

  protected deploy(): void {
    const v = this.version();
    if (!v) return;
    this.act(this.modelActions.deploy(v, this.servingRef()));
  }

  private act(action: Observable<ActionResult | null>): void {
    this.busy.set(true);
    action.subscribe((r) => {
      this.busy.set(false);
      if (!r) return;
      this.outcome.set(r.ok ? null : r);
      this.versionLoader.reload();
      this.changed.emit();
    });
  }
}
