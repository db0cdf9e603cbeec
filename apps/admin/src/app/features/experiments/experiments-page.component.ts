import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import type { ListExperimentsRequest } from '@loglens/contracts';
import { debounceTime } from 'rxjs';
import { LiveEventsService } from '../../core/live-events.service';
import { SessionService } from '../../core/session.service';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { ExperimentsData } from './experiments.data';
import { KIND_LABELS, STATES, type ExperimentState } from './experiments.model';
import { armsText, lastDecision, weightsText } from './report-wording';

/**
 * Experiments (every key reads them): A/B tests, canaries and shadow traffic, newest first, filtered by model and
 * state, refreshed as the registry reports their changes (a canary's steps, a rollback, an operator's abort).
 */
@Component({
  selector: 'll-experiments-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    IconComponent,
    LoadStateComponent,
  ],
  template: `
    <section class="page" aria-labelledby="experiments-title">
      <header class="page-header">
        <h1 id="experiments-title">Experiments</h1>
        <span class="actions">
          @if (session.canChange()) {
            <a mat-flat-button routerLink="/experiments/new">New experiment</a>
          }
          <button mat-stroked-button type="button" (click)="list.reload()">
            <ll-icon name="refresh" class="btn-icon" /> Refresh
          </button>
        </span>
      </header>
      <p class="muted intro">
        An experiment splits a model's traffic between its serving version (the control) and candidates: an
        A/B test compares them, a canary raises the candidate's share step by step and promotes or rolls it
        back on its own, a shadow scores copies of the requests without answering anyone. One runs per model
        at a time.
      </p>
      <form class="filters" aria-label="Filter the experiments" (submit)="$event.preventDefault()">
        <mat-form-field>
          <mat-label>Model</mat-label>
          <input
            matInput
            autocomplete="off"
            spellcheck="false"
            [value]="model()"
            (change)="model.set($any($event.target).value.trim())"
          />
        </mat-form-field>
        <mat-form-field>
          <mat-label>State</mat-label>
          <mat-select [value]="state()" (selectionChange)="state.set($event.value)">
            <mat-option value="">All states</mat-option>
            @for (s of states; track s) {
              <mat-option [value]="s">{{ s }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      </form>
      <ll-load-state
        [state]="list.state()"
        [empty]="items().length === 0"
        loadingText="Loading the experiments…"
        failedText="Could not load the experiments."
        [emptyText]="emptyText()"
        (retry)="list.reload()"
      />
      @if (items().length > 0) {
        <table class="experiments" aria-label="Experiments, newest first">
          <thead>
            <tr>
              <th>Model</th>
              <th>Kind</th>
              <th>State</th>
              <th>Arms and weights</th>
              <th>Started</th>
              <th>Last decision</th>
            </tr>
          </thead>
          <tbody>
            @for (e of items(); track e.id) {
              @let last = decision(e);
              <tr>
                <td>
                  <a
                    [routerLink]="['/experiments', e.id]"
                    [attr.aria-label]="'Experiment on ' + e.model + ' (' + e.kind + ', ' + e.state + ')'"
                    >{{ e.model }}</a
                  >
                </td>
                <td>{{ kinds[e.kind] }}</td>
                <td>
                  <span class="state" [class]="'state state-' + e.state">{{ e.state }}</span>
                </td>
                <td>{{ arms(e) }}</td>
                <td>
                  <time [attr.datetime]="e.createdAt" [title]="e.createdAt | date: 'full'">{{
                    e.createdAt | date: 'medium'
                  }}</time>
                </td>
                <td>
                  @if (last) {
                    <strong>{{ last.action }}</strong> {{ weights(last.weights) }}
                    <div class="muted">{{ last.reason }} · {{ last.at | date: 'mediumTime' }}</div>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      }
    </section>
  `,
  styles: `
    .intro {
      margin-top: -8px;
      max-width: 900px;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0 16px;
      margin-bottom: 8px;
    }
    .filters mat-form-field {
      width: 240px;
    }
    .experiments {
      border-collapse: collapse;
      width: 100%;
    }
    .experiments th,
    .experiments td {
      text-align: left;
      padding: 6px 10px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      vertical-align: top;
      overflow-wrap: anywhere;
    }
    .state {
      font-weight: 600;
    }
    /* short words: never broken inside */
    .experiments th,
    .experiments td:nth-child(-n + 3) {
      white-space: nowrap;
      overflow-wrap: normal;
    }
    .state-running {
      color: var(--mat-sys-primary);
    }
    .state-rolled-back,
    .state-aborted {
      color: var(--mat-sys-error);
    }
  `,
})
export class ExperimentsPageComponent {
  private readonly api = inject(ExperimentsData);
  protected readonly session = inject(SessionService);

  protected readonly states = STATES;
  protected readonly kinds = KIND_LABELS;
  protected readonly model = signal('');
  protected readonly state = signal<ExperimentState | ''>('');

  protected readonly list = createLoader(
    (q: ListExperimentsRequest) => this.api.list(q),
    () => ({ model: this.model() || undefined, state: this.state() || undefined }),
  );
  protected readonly items = computed(() => this.list.value() ?? []);
  protected readonly emptyText = computed(() =>
    this.model() || this.state()
      ? 'No experiment matches the filter.'
      : 'No experiments yet: start one to compare a candidate version with the serving one.',
  );

  protected readonly arms = armsText;
  protected readonly decision = lastDecision;
  protected readonly weights = weightsText;

  constructor() {
    // a canary steps on its own: every change the registry reports reloads the list (bursts once)
    inject(LiveEventsService)
      .experiments.pipe(debounceTime(300), takeUntilDestroyed())
      .subscribe(() => this.list.reload());
  }
}
