import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { Router } from '@angular/router';
import type { HistoryRequest } from '@loglens/contracts';
import { debounceTime } from 'rxjs';
import { LifecycleData } from '../../core/data/lifecycle.data';
import { ModelsData } from '../../core/data/models.data';
import { LiveSubjects } from '../../core/live-events';
import { LiveEventsService } from '../../core/live-events.service';
import { localToIso } from '../../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { reloadOnLive } from '../../shared/live-reload';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { type KindFilter, emptyHistoryText, entriesOfKind, modelChoices, subjectOf } from './history-entry';
import { HistoryFiltersComponent } from './history-filters.component';
import { HistoryTimelineComponent } from './history-timeline.component';

export { localToIso, subjectOf };

@Component({
  selector: 'll-history-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    IconComponent,
    LoadStateComponent,
    HistoryFiltersComponent,
    HistoryTimelineComponent,
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

      <ll-history-filters
        [modelNames]="modelNames()"
        [modelFilter]="modelFilter()"
        (modelFilterChange)="setModel($event)"
        [(from)]="from"
        [(to)]="to"
        [(limit)]="limit"
        [(kind)]="kind"
      />

      <ll-load-state
        [state]="history.state()"
        [empty]="entries().length === 0"
        loadingText="Loading the history…"
        failedText="Could not load the transfer history."
        [emptyText]="emptyText()"
        (retry)="history.reload()"
      />

      @if (entries().length > 0) {
        <ll-history-timeline [entries]="entries()" />
      }
    </section>
  `,
  styles: `
    .intro {
      margin-top: -8px;
    }
  `,
})
export class HistoryPageComponent {
  private readonly modelsData = inject(ModelsData);
  private readonly lifecycle = inject(LifecycleData);
  private readonly router = inject(Router);

  /** `?model=` from the route */
  readonly model = input<string | undefined>();

  protected readonly modelFilter = linkedSignal(() => this.model() ?? '');
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly limit = signal(100);
  protected readonly kind = signal<KindFilter>('all');

  private readonly models = createLoader(() => this.modelsData.list());
  protected readonly modelNames = computed(() =>
    modelChoices(
      (this.models.value()?.models ?? []).map((m) => m.name),
      this.modelFilter(),
    ),
  );

  protected readonly history = createLoader(
    (q: HistoryRequest) => this.lifecycle.history(q),
    () => ({
      model: this.modelFilter() || undefined,
      from: localToIso(this.from()),
      to: localToIso(this.to()),
      limit: this.limit(),
    }),
  );
  protected readonly entries = computed(() =>
    entriesOfKind(this.history.value()?.entries ?? [], this.kind()),
  );
  protected readonly emptyText = computed(() => emptyHistoryText(this.modelFilter()));

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

  protected setModel(model: string): void {
    this.modelFilter.set(model);
    void this.router.navigate([], { queryParams: { model: model || null }, replaceUrl: true });
  }
}
