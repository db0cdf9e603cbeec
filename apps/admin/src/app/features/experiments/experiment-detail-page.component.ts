import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import type { ExperimentAction, ExperimentDto } from '@loglens/contracts/protocol';
import { EMPTY, debounceTime, filter, interval, switchMap } from 'rxjs';
import { ApiError } from '../../core/api-error';
import { LiveEventsService } from '../../core/live-events.service';
import { SessionService } from '../../core/session.service';
import {
  ConfirmDialogComponent,
  type ConfirmDialogData,
  type ConfirmResult,
} from '../../shared/confirm-dialog.component';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { ExperimentsData } from './experiments.data';
import { ACTIVE_STATES, KIND_LABELS, STICKINESS_LABELS, type ExperimentReport } from './experiments.model';
import {
  agreementText,
  armsText,
  failedText,
  latencyVerdict,
  pct,
  proportionVerdict,
  recommendationText,
  weightsText,
} from './report-wording';

/** While an experiment is active its figures grow without an event (workers report every second): re-read this often. */
const REPORT_REFRESH_MS = 5000;

/** The candidate a promote serves: the recommended one, else the only one, else the heaviest. */
export function promoteTarget(e: Pick<ExperimentDto, 'candidates'>, winner: string | null): string {
  if (winner && e.candidates.some((c) => c.version === winner)) return winner;
  return [...e.candidates].sort((a, b) => b.weight - a.weight)[0]?.version ?? '';
}

/** The more recent of two reads of an experiment (by updatedAt; a tie goes to the load), ignoring another id's. */
export function newer(
  loaded: ExperimentDto | null,
  changed: ExperimentDto | null,
  id: string,
): ExperimentDto | null {
  if (!changed || changed.id !== id) return loaded;
  if (!loaded) return changed;
  return Date.parse(changed.updatedAt) > Date.parse(loaded.updatedAt) ? changed : loaded;
}

/** What each action does, for its confirm dialog. */
export function actionConfirm(action: ExperimentAction, e: ExperimentDto, target: string): ConfirmDialogData {
  const name = `${KIND_LABELS[e.kind].toLowerCase()} on ${e.model}`;
  switch (action) {
    case 'pause':
      return {
        title: 'Pause the experiment',
        question: `Pause the ${name}?`,
        notes: [
          'The weights stay as they are; no automatic step, promotion or rollback happens until it is resumed.',
        ],
        confirmLabel: 'Pause',
        askReason: true,
      };
    case 'resume':
      return {
        title: 'Resume the experiment',
        question: `Resume the ${name}?`,
        notes: ['Automatic decisions start again from the next check.'],
        confirmLabel: 'Resume',
        askReason: true,
      };
    case 'promote':
      return {
        title: 'Promote the candidate',
        question: `End the ${name} and serve ${target} to all of its traffic?`,
        changes: [{ label: 'Serving', from: e.control, to: target }],
        notes: ['Recorded in the transfer history as a promote, with the report’s figures.'],
        confirmLabel: 'Promote',
        askReason: true,
      };
    case 'abort':
      return {
        title: 'Abort the experiment',
        question: `Abort the ${name}?`,
        changes: e.candidates.map((c) => ({
          label: `Weight of ${c.version}`,
          from: `${c.weight} %`,
          to: '0 %',
        })),
        notes: [
          `The control ${e.control} answers all the traffic again. An aborted experiment cannot be resumed.`,
        ],
        confirmLabel: 'Abort',
        askReason: true,
        destructive: true,
      };
  }
}

/**
 * One experiment: its arms and settings, the per-arm report with the significance tests worded for an operator, the
 * history of its steps, and pause / resume / promote / abort (operator and admin keys, each after a confirmation).
 */
@Component({
  selector: 'll-experiment-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, DecimalPipe, RouterLink, MatButtonModule, IconComponent, LoadStateComponent],
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
        <dl class="facts" aria-label="The experiment">
          <div>
            <dt>Kind</dt>
            <dd>{{ kinds[e.kind] }}</dd>
          </div>
          <div>
            <dt>State</dt>
            <dd>
              <span class="state" [class]="'state state-' + e.state" data-testid="experiment-state">{{
                e.state
              }}</span>
              @if (e.failedChecks > 0) {
                <span class="muted">
                  · {{ e.failedChecks }} failed check{{ e.failedChecks === 1 ? '' : 's' }}</span
                >
              }
            </dd>
          </div>
          <div>
            <dt>Arms</dt>
            <dd>{{ arms(e) }}</dd>
          </div>
          <div>
            <dt>Sticky by</dt>
            <dd>{{ e.stickiness ? stickiness[e.stickiness.key] : 'nothing (a draw per request)' }}</dd>
          </div>
          @if (e.canary; as c) {
            <div>
              <dt>Canary</dt>
              <dd>
                +{{ c.stepWeight }} points every {{ c.intervalSec }} s up to {{ c.maxWeight }} %, rolled back
                after {{ c.failureThreshold }} failed check{{ c.failureThreshold === 1 ? '' : 's' }}
              </dd>
            </div>
          }
          @if (e.shadow; as s) {
            <div>
              <dt>Shadow</dt>
              <dd>{{ s.percent }} % of the requests</dd>
            </div>
          }
          <div>
            <dt>Criteria</dt>
            <dd>{{ criteriaText(e) }}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{{ e.createdAt | date: 'medium' }} by {{ e.createdBy }}</dd>
          </div>
          @if (e.endedAt) {
            <div>
              <dt>Ended</dt>
              <dd>{{ e.endedAt | date: 'medium' }}</dd>
            </div>
          }
        </dl>

        @if (session.canChange() && active()) {
          <div class="buttons" role="group" aria-label="Experiment actions">
            @if (e.state === 'running') {
              <button mat-stroked-button type="button" [disabled]="busy()" (click)="act('pause')">
                Pause
              </button>
            } @else {
              <button mat-stroked-button type="button" [disabled]="busy()" (click)="act('resume')">
                Resume
              </button>
            }
            @if (e.kind !== 'shadow' || e.candidates.length > 0) {
              <button mat-stroked-button type="button" [disabled]="busy()" (click)="act('promote')">
                Promote {{ target() }}
              </button>
            }
            <button mat-flat-button type="button" class="danger" [disabled]="busy()" (click)="act('abort')">
              Abort
            </button>
          </div>
        }
        @if (actionError(); as err) {
          <div class="error-box" role="alert">{{ err }}</div>
        }

        <h2>Report</h2>
        <ll-load-state
          [state]="report.state()"
          [empty]="false"
          loadingText="Loading the report…"
          failedText="Could not load the report."
          (retry)="report.reload()"
        />
        @if (report.value(); as r) {
          <table class="arms" aria-label="Per arm">
            <thead>
              <tr>
                <th>Arm</th>
                <th>Requests</th>
                <th>Errors</th>
                <th>p50</th>
                <th>p99</th>
                <th>Windows scored</th>
                <th>Anomalies</th>
                <th>Mean score</th>
                @if (e.kind === 'shadow') {
                  <th>Shadow failures</th>
                  <th>Shadow copies dropped</th>
                }
              </tr>
            </thead>
            <tbody>
              @for (a of r.arms; track a.version; let first = $first) {
                <tr>
                  <th scope="row">
                    {{ a.version }} <span class="muted">{{ first ? 'control' : 'candidate' }}</span>
                  </th>
                  <td>{{ a.requests | number }}</td>
                  <td>
                    {{ a.errors | number }} <span class="muted">({{ pct(a.errorRate) }})</span>
                  </td>
                  <td>{{ a.p50Ms | number: '1.0-1' }} ms</td>
                  <td>{{ a.p99Ms | number: '1.0-1' }} ms</td>
                  <td>{{ a.rows | number }}</td>
                  <td>
                    {{ a.anomalies | number }} <span class="muted">({{ pct(a.anomalyRate) }})</span>
                  </td>
                  <td>{{ a.meanScore | number: '1.3-3' }}</td>
                  @if (e.kind === 'shadow') {
                    <td>{{ a.shadowErrors | number }}</td>
                    <td>
                      {{ a.shadowDropped | number }}
                      @if (!first && a.shadowDropped > 0) {
                        <span class="muted">(queue full: the shadow version scored fewer copies than sent)</span>
                      }
                    </td>
                  }
                </tr>
              }
            </tbody>
          </table>
          @for (c of r.comparisons; track c.version) {
            <section
              class="comparison"
              [attr.aria-label]="'Significance: ' + c.version + ' against ' + e.control"
            >
              <h3>{{ c.version }} against {{ e.control }}</h3>
              <dl class="facts">
                <div>
                  <dt>Anomaly rate</dt>
                  <dd>
                    {{ pct(c.anomalyRate.rateB) }} vs {{ pct(c.anomalyRate.rateA) }} —
                    {{ proportion('anomaly rate', c.anomalyRate, r.alpha) }}
                  </dd>
                </div>
                <div>
                  <dt>Error rate</dt>
                  <dd>
                    {{ pct(c.errorRate.rateB) }} vs {{ pct(c.errorRate.rateA) }} —
                    {{ proportion('error rate', c.errorRate, r.alpha) }}
                  </dd>
                </div>
                <div>
                  <dt>Latency</dt>
                  <dd>{{ latency(c.latency, r.alpha) }}</dd>
                </div>
                @if (agreement(c); as a) {
                  <div>
                    <dt>Agreement</dt>
                    <dd>{{ a }}</dd>
                  </div>
                }
                <div>
                  <dt>Criteria</dt>
                  <dd>
                    @if (c.failed.length === 0) {
                      holds every criterion over the whole run
                    } @else {
                      fails: {{ failedList(c.failed) }}
                    }
                  </dd>
                </div>
              </dl>
            </section>
          }
          <p class="recommendation" role="status">
            <strong>{{ recommendation(r) }}</strong>
          </p>
          <p class="muted method">
            Tests: {{ r.method }}; α = {{ r.alpha }}. “Not significant yet” reads the always-valid p-value,
            which stays valid however often this page is refreshed.
          </p>
        }

        <h2>Steps</h2>
        <table class="steps" aria-label="Steps, oldest first">
          <thead>
            <tr>
              <th>When</th>
              <th>Action</th>
              <th>Weights after</th>
              <th>By</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            @for (s of e.steps; track $index) {
              <tr>
                <td>
                  <time [attr.datetime]="s.at">{{ s.at | date: 'mediumTime' }}</time>
                </td>
                <td>
                  <strong>{{ s.action }}</strong>
                </td>
                <td>{{ weights(s.weights) }}</td>
                <td>{{ s.actor }}</td>
                <td>{{ s.reason }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
    </section>
  `,
  styles: `
    .actions {
      display: flex;
      gap: 8px;
    }
    .facts {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 16px;
      margin: 8px 0 16px;
    }
    .facts > div {
      display: contents;
    }
    .facts dt {
      font-weight: 600;
    }
    .facts dd {
      margin: 0;
    }
    .buttons {
      display: flex;
      gap: 8px;
      margin: 8px 0 16px;
    }
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
    .state {
      font-weight: 600;
    }
    .state-running {
      color: var(--mat-sys-primary);
    }
    .state-rolled-back,
    .state-aborted {
      color: var(--mat-sys-error);
    }
    table {
      border-collapse: collapse;
      width: 100%;
      margin-bottom: 16px;
    }
    th,
    td {
      text-align: left;
      padding: 6px 10px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      vertical-align: top;
    }
    .comparison h3 {
      margin: 16px 0 4px;
    }
    .recommendation {
      margin-top: 12px;
    }
  `,
})
export class ExperimentDetailPageComponent {
  private readonly api = inject(ExperimentsData);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(SessionService);

  /** the route's :id */
  readonly id = input.required<string>();

  protected readonly kinds = KIND_LABELS;
  protected readonly stickiness = STICKINESS_LABELS;
  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);
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

  protected readonly arms = armsText;
  protected readonly pct = pct;
  protected readonly proportion = proportionVerdict;
  protected readonly latency = latencyVerdict;
  protected readonly agreement = agreementText;
  protected readonly weights = weightsText;
  protected readonly failedList = (f: ExperimentReport['comparisons'][number]['failed']) =>
    f.map(failedText).join('; ');
  protected readonly recommendation = (r: ExperimentReport) =>
    recommendationText(r.recommendation, r.experiment.control);

  constructor() {
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

  protected criteriaText(e: ExperimentDto): string {
    const c = e.criteria;
    const parts = [`error rate ≤ ${pct(c.maxErrorRate)}`, `p99 ≤ ${c.maxP99Ms} ms`];
    if (c.maxAnomalyRateDelta !== undefined)
      parts.push(`anomaly-rate difference ≤ ${(c.maxAnomalyRateDelta * 100).toFixed(1)} points`);
    if (c.minAgreement !== undefined) parts.push(`agreement ≥ ${pct(c.minAgreement)}`);
    parts.push(`${c.minSamples} samples per check`);
    return parts.join(', ');
  }

  protected act(action: ExperimentAction): void {
    const e = this.experiment();
    if (!e) return;
    const target = this.target();
    this.actionError.set(null);
    this.dialog
      .open<ConfirmDialogComponent, ConfirmDialogData, ConfirmResult>(ConfirmDialogComponent, {
        width: '520px',
        maxWidth: '95vw',
        autoFocus: 'first-tabbable',
        data: actionConfirm(action, e, target),
      })
      .afterClosed()
      .subscribe((ok) => {
        if (!ok) return;
        this.busy.set(true);
        const body = {
          ...(ok.reason ? { reason: ok.reason } : {}),
          ...(action === 'promote' && e.candidates.length > 1 ? { version: target } : {}),
        };
        this.api.change(e.id, action, body).subscribe({
          next: (after) => {
            this.busy.set(false);
            this.changed.set(after);
            this.report.reload();
            this.snackBar.open(`Experiment on ${after.model}: ${after.state}.`, 'OK', { duration: 6000 });
          },
          error: (err: unknown) => {
            this.busy.set(false);
            this.actionError.set(err instanceof ApiError || err instanceof Error ? err.message : String(err));
          },
        });
      });
  }
}
