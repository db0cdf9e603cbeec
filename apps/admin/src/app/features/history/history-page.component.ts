import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router, RouterLink } from '@angular/router';
import type { HistoryAction, HistoryEntryDto, HistoryRequest } from '@loglens/contracts';
import { debounceTime } from 'rxjs';
import { LifecycleData } from '../../core/data/lifecycle.data';
import { ModelsData } from '../../core/data/models.data';
import { LiveSubjects } from '../../core/live-events';
import { LiveEventsService } from '../../core/live-events.service';
import { formatAgo, localToIso } from '../../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { reloadOnLive } from '../../shared/live-reload';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';

type KindFilter = 'all' | 'serving' | 'alias' | 'binding' | 'experiment';

const ACTION_TEXT: Record<HistoryAction, string> = {
  deploy: 'deploy',
  rollback: 'rollback',
  fallback: 'fallback',
  promote: 'promote',
  'alias-set': 'alias moved',
  'alias-delete': 'alias deleted',
  bind: 'source bound',
  unbind: 'source unbound',
  'exp-start': 'experiment started',
  'exp-step': 'canary step',
  'exp-pause': 'experiment paused',
  'exp-resume': 'experiment resumed',
  'exp-abort': 'experiment aborted',
  'exp-rollback': 'canary rolled back',
  'exp-complete': 'experiment ended',
  'drift-reference': 'drift reference frozen',
};

export { localToIso };

/** What changed, as a subject line: `iris serves` or `iris@production`. */
export function subjectOf(e: HistoryEntryDto): string {
  if (e.kind === 'binding') return `source ${e.source ?? '?'} scored by ${e.model}`;
  if (e.kind === 'experiment') return `${e.model} experiment`;
  if (e.kind === 'drift') return `${e.to ?? e.model} drift reference`;
  return e.kind === 'alias' ? `${e.model}@${e.alias ?? '?'}` : `${e.model} serves`;
}

@Component({
  selector: 'll-history-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    IconComponent,
    LoadStateComponent,
  ],
  template: `
    <section class="page" aria-labelledby="history-title">
      <header class="page-header">
        <h1 id="history-title">Transfer history</h1>
        <button mat-stroked-button type="button" (click)="history.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
      </header>
      <p class="muted intro">
        Every change of a serving version (deploy, rollback, fallback) and of an alias, newest first: who,
        when, why, from → to. New entries appear here as they happen.
      </p>

      <form class="filters" aria-label="Filter the history" (submit)="$event.preventDefault()">
        <mat-form-field>
          <mat-label>Model</mat-label>
          <mat-select [value]="modelFilter()" (selectionChange)="setModel($event.value)">
            <mat-option value="">All models</mat-option>
            @for (m of modelNames(); track m) {
              <mat-option [value]="m">{{ m }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>From</mat-label>
          <input
            matInput
            type="datetime-local"
            [value]="from()"
            (change)="from.set($any($event.target).value)"
          />
        </mat-form-field>
        <mat-form-field>
          <mat-label>To</mat-label>
          <input matInput type="datetime-local" [value]="to()" (change)="to.set($any($event.target).value)" />
        </mat-form-field>
        <mat-form-field class="limit">
          <mat-label>Show</mat-label>
          <mat-select [value]="limit()" (selectionChange)="limit.set($event.value)">
            @for (n of limits; track n) {
              <mat-option [value]="n">latest {{ n }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-button-toggle-group
          aria-label="Kind of change"
          [value]="kind()"
          (change)="kind.set($event.value)"
          hideSingleSelectionIndicator
        >
          <mat-button-toggle value="all">All</mat-button-toggle>
          <mat-button-toggle value="serving">Serving</mat-button-toggle>
          <mat-button-toggle value="alias">Aliases</mat-button-toggle>
          <mat-button-toggle value="binding">Bindings</mat-button-toggle>
          <mat-button-toggle value="experiment">Experiments</mat-button-toggle>
        </mat-button-toggle-group>
      </form>

      <ll-load-state
        [state]="history.state()"
        [empty]="entries().length === 0"
        loadingText="Loading the history…"
        failedText="Could not load the transfer history."
        [emptyText]="emptyText()"
        (retry)="history.reload()"
      />

      @if (entries().length > 0) {
        <ol class="timeline" aria-label="History entries, newest first">
          @for (e of entries(); track e.id) {
            <li class="entry action-{{ e.action }}">
              <span class="dot" aria-hidden="true"></span>
              <div class="head">
                <!-- &ngsp; keeps a real space between the parts, for screen readers and copied text -->
                <span class="action-chip">{{ actionText[e.action] }}</span
                >&ngsp; <span class="subject">{{ subjectOf(e) }}</span
                >&ngsp;
                <span class="change">
                  @if (e.from) {
                    <a [routerLink]="['/models', e.from]"
                      ><code>{{ e.from }}</code></a
                    >
                  } @else {
                    <span class="muted">nothing</span>
                  }
                  <span class="arrow"> → </span>
                  @if (e.to) {
                    <a [routerLink]="['/models', e.to]"
                      ><code>{{ e.to }}</code></a
                    >
                  } @else {
                    <span class="muted">removed</span>
                  }
                </span>
              </div>
              <div class="meta muted">
                by <span class="actor">{{ e.actor }}</span> ·
                <time [attr.datetime]="e.at" [title]="e.at | date: 'full'"
                  >{{ ago(e.at) }} ({{ e.at | date: 'medium' }})</time
                >
                · #{{ e.seq }}
              </div>
              @if (e.reason) {
                <p class="why">“{{ e.reason }}”</p>
              } @else {
                <p class="why muted">no reason given</p>
              }
            </li>
          }
        </ol>
      }
    </section>
  `,
  styles: `
    .intro {
      margin-top: -8px;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0 16px;
      margin-bottom: 8px;
    }
    .filters mat-form-field {
      width: 210px;
    }
    .filters .limit {
      width: 130px;
    }
    .filters mat-button-toggle-group {
      margin-bottom: 20px;
    }
    .timeline {
      list-style: none;
      margin: 0;
      padding: 0 0 0 20px;
      border-left: 2px solid var(--mat-sys-outline-variant);
      max-width: 900px;
    }
    .entry {
      position: relative;
      padding: 4px 0 16px 12px;
    }
    .dot {
      position: absolute;
      left: -28px;
      top: 8px;
      width: 12px;
      height: 12px;
      border-radius: 50%;
      background: var(--mat-sys-primary);
      border: 2px solid var(--mat-sys-surface);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 10px;
    }
    .subject {
      font-weight: 600;
    }
    .change {
      display: inline-flex;
      align-items: baseline;
      white-space: pre;
    }
    .action-chip {
      padding: 1px 8px;
      border-radius: 10px;
      font: var(--mat-sys-label-medium);
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .action-rollback .action-chip,
    .action-rollback .dot {
      background: #ffe3b3;
      color: #5c3b00;
    }
    .action-fallback .action-chip,
    .action-fallback .dot {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .action-alias-set .action-chip,
    .action-alias-delete .action-chip {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .meta {
      margin-top: 2px;
      font-size: 0.9em;
    }
    .why {
      margin: 4px 0 0;
    }
  `,
})
export class HistoryPageComponent {
  private readonly modelsData = inject(ModelsData);
  private readonly lifecycle = inject(LifecycleData);
  private readonly router = inject(Router);

  /** `?model=` from the route */
  readonly model = input<string | undefined>();

  protected readonly actionText = ACTION_TEXT;
  protected readonly subjectOf = subjectOf;
  protected readonly limits = [50, 100, 500];

  protected readonly modelFilter = linkedSignal(() => this.model() ?? '');
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly limit = signal(100);
  protected readonly kind = signal<KindFilter>('all');

  private readonly models = createLoader(() => this.modelsData.list());
  protected readonly modelNames = computed(() => {
    const names = (this.models.value()?.models ?? []).map((m) => m.name);
    const current = this.modelFilter();
    return current && !names.includes(current) ? [current, ...names] : names;
  });

  protected readonly history = createLoader(
    (q: HistoryRequest) => this.lifecycle.history(q),
    () => ({
      model: this.modelFilter() || undefined,
      from: localToIso(this.from()),
      to: localToIso(this.to()),
      limit: this.limit(),
    }),
  );
  protected readonly entries = computed(() => {
    const kind = this.kind();
    const all = this.history.value()?.entries ?? [];
    return kind === 'all' ? all : all.filter((e) => e.kind === kind);
  });
  protected readonly emptyText = computed(() =>
    this.modelFilter()
      ? `No changes recorded for ${this.modelFilter()} with these filters.`
      : 'No deploys, rollbacks, alias moves or source bindings recorded yet with these filters.',
  );

  constructor() {
    // only serving changes, alias moves and source (un)bindings add history entries
    reloadOnLive(
      this.history,
      (e) => e.type === LiveSubjects.versionDeployed || e.type === LiveSubjects.aliasChanged,
    );
    inject(LiveEventsService)
      .bindings.pipe(debounceTime(300), takeUntilDestroyed())
      .subscribe(() => this.history.reload());
  }

  protected ago(at: string): string {
    return formatAgo(at);
  }

  protected setModel(model: string): void {
    this.modelFilter.set(model);
    void this.router.navigate([], { queryParams: { model: model || null }, replaceUrl: true });
  }
}
