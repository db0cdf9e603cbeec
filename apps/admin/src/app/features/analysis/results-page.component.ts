import {
  ChangeDetectionStrategy,
  Component,
  type WritableSignal,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { Router } from '@angular/router';
import type { AgentKind, ListResultsRequest } from '@loglens/contracts';
import { auditTime, filter } from 'rxjs';
import { AnalysisData } from '../../core/data/analysis.data';
import { LiveEventsService } from '../../core/live-events.service';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { formatCount } from './log-input';
import { ResultsFilterBarComponent, type ResultsFilterChange } from './results-filter-bar.component';
import {
  SOURCE_NAME,
  emptyResultsText,
  isoToLocal,
  localToIso,
  matchesFilters,
  resultsQueryParams,
  sourcesOf,
} from './results-filters';
import { WindowTableComponent } from './window-table.component';
import { featureText, formatTime, fromStoredWindow } from './windows';

@Component({
  selector: 'll-results-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, IconComponent, LoadStateComponent, ResultsFilterBarComponent, WindowTableComponent],
  template: `
    <section class="page" aria-labelledby="results-title">
      <header class="page-header">
        <h1 id="results-title">Stored results</h1>
        <button mat-stroked-button type="button" (click)="results.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
      </header>
      <p class="muted intro">
        Every window the streaming agents analysed from logs published to <code>logs.wifi.&lt;site&gt;</code> and
        <code>logs.generic.&lt;source&gt;</code>, newest first. New anomalies matching the filters appear here as they
        happen.
      </p>

      <ll-results-filter-bar
        [knownSources]="knownSources()"
        [source]="sourceFilter()"
        [agent]="agentFilter()"
        [anomalousOnly]="anomalousOnly()"
        [from]="fromFilter()"
        [to]="toFilter()"
        [(limit)]="limit"
        [(anomaliesFirst)]="anomaliesFirst"
        (changed)="apply($event)"
      />

      <ll-load-state
        [state]="results.state()"
        [empty]="windows().length === 0"
        loadingText="Loading stored results…"
        failedText="Could not load the stored results."
        [emptyText]="emptyText()"
        (retry)="results.reload()"
      />

      @if (windows().length > 0) {
        <p class="summary" role="status">
          {{ count(windows().length) }} window{{ windows().length === 1 ? '' : 's' }}{{
            windows().length >= limit() ? ' (the latest ' + limit() + ': narrow the filters for older ones)' : ''
          }}
          · <strong>{{ count(anomalyCount()) }} anomalous</strong>
        </p>
        <ll-window-table
          [windows]="windows()"
          [anomaliesFirst]="anomaliesFirst()"
          [showSource]="true"
          label="Stored window results"
          detailLabel="Details"
          [detail]="detailTpl"
        />
      }
    </section>

    <ng-template #detailTpl let-w>
      @let stored = byId().get(w.id);
      <dl class="key-values">
        <dt>Window id</dt>
        <dd>
          <code>{{ w.id }}</code>
        </dd>
        @if (stored) {
          <dt>Analysed at</dt>
          <dd>{{ time(stored.analyzedAt) }}</dd>
          <dt>Records</dt>
          <dd>
            {{ stored.recordCount }} (stream sequence
            {{ stored.recordIds.slice(0, 40).join(', ') }}{{ stored.recordIds.length > 40 ? ', …' : '' }})
          </dd>
        }
        <dt>Top features</dt>
        <dd>
          @for (f of w.topFeatures; track f.name) {
            <div>{{ feature(f) }}</div>
          } @empty {
            <span class="muted">none</span>
          }
        </dd>
      </dl>
    </ng-template>
  `,
  styles: `
    .intro {
      margin-top: -8px;
      max-width: 90ch;
    }
  `,
})
export class ResultsPageComponent {
  private readonly api = inject(AnalysisData);
  private readonly router = inject(Router);

  /** query parameters, so the Live anomalies page (or a bookmark) can open a filtered view */
  readonly source = input<string | undefined>();
  readonly agent = input<string | undefined>();
  readonly anomalous = input<string | undefined>();
  readonly from = input<string | undefined>();
  readonly to = input<string | undefined>();

  protected readonly count = formatCount;
  protected readonly time = formatTime;
  protected readonly feature = featureText;

  protected readonly sourceFilter = linkedSignal(() => {
    const s = this.source() ?? '';
    return SOURCE_NAME.test(s) ? s : '';
  });
  protected readonly agentFilter = linkedSignal<AgentKind | ''>(() => {
    const a = this.agent();
    return a === 'wifi' || a === 'base' ? a : '';
  });
  protected readonly anomalousOnly = linkedSignal(() => this.anomalous() === 'true');
  protected readonly fromFilter = linkedSignal(() => isoToLocal(this.from()));
  protected readonly toFilter = linkedSignal(() => isoToLocal(this.to()));
  protected readonly limit = signal(100);
  protected readonly anomaliesFirst = signal(false);

  private readonly query = computed<ListResultsRequest>(() => ({
    source: this.sourceFilter() || undefined,
    agent: this.agentFilter() || undefined,
    from: localToIso(this.fromFilter()),
    to: localToIso(this.toFilter()),
    anomalous: this.anomalousOnly() ? true : undefined,
    limit: this.limit(),
  }));

  protected readonly results = createLoader((q: ListResultsRequest) => this.api.results(q), this.query);
  private readonly stored = computed(() => this.results.value()?.results ?? []);
  protected readonly byId = computed(() => new Map(this.stored().map((r) => [r.id, r])));
  protected readonly windows = computed(() => this.stored().map((r) => fromStoredWindow(r)));
  protected readonly anomalyCount = computed(() => this.windows().filter((w) => w.isAnomaly).length);
  protected readonly knownSources = computed(() => sourcesOf(this.stored()));
  protected readonly emptyText = computed(() => emptyResultsText(this.query()));

  constructor() {
    // an anomaly the agents just found matches the filters: reload once the registry has stored it (it takes the
    // results off the ANALYSIS stream within a second or so); a burst of anomalies reloads every 2 s at most
    inject(LiveEventsService)
      .anomalies.pipe(
        filter((w) => matchesFilters(w, this.query())),
        auditTime(2000),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.results.reload());
  }

  /** Applies a filter the bar changed and keeps the filters in the address. */
  protected apply(change: ResultsFilterChange): void {
    if ('source' in change) this.set(this.sourceFilter, change.source);
    else if ('agent' in change) this.set(this.agentFilter, change.agent);
    else if ('anomalous' in change) this.set(this.anomalousOnly, change.anomalous);
    else if ('from' in change) this.set(this.fromFilter, change.from);
    else this.set(this.toFilter, change.to);
  }

  private set<T>(filterSignal: WritableSignal<T>, value: T): void {
    filterSignal.set(value);
    this.syncUrl();
  }

  /** Keeps the filters in the address, so a reload or a shared link shows the same view. */
  private syncUrl(): void {
    void this.router.navigate([], { queryParams: resultsQueryParams(this.query()), replaceUrl: true });
  }
}
