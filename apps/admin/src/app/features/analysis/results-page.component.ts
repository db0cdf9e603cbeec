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
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { Router } from '@angular/router';
import type { AgentKind, ListResultsRequest, WindowResultDto } from '@loglens/contracts';
import { auditTime, filter } from 'rxjs';
import { AnalysisData } from '../../core/data/analysis.data';
import { LiveEventsService } from '../../core/live-events.service';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { formatCount } from './log-input';
import { WindowTableComponent } from './window-table.component';
import { featureText, formatTime, fromStoredWindow } from './windows';

const SOURCE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** `datetime-local` value (local time, no zone) → ISO 8601 for the gateway; '' stays unset. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** ISO 8601 → `datetime-local` value in local time; '' for nothing or a bad date. */
export function isoToLocal(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Does a live anomaly belong in the table as filtered now? */
export function matchesFilters(w: WindowResultDto, q: ListResultsRequest): boolean {
  if (q.source && w.source !== q.source) return false;
  if (q.agent && w.agent !== q.agent) return false;
  if (q.from && Date.parse(w.end) < Date.parse(q.from)) return false;
  if (q.to && Date.parse(w.start) > Date.parse(q.to)) return false;
  return true;
}

@Component({
  selector: 'll-results-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    IconComponent,
    LoadStateComponent,
    WindowTableComponent,
  ],
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

      <form class="filters" aria-label="Filter the results" (submit)="$event.preventDefault(); applySource()">
        <mat-form-field>
          <mat-label>Source</mat-label>
          <input
            matInput
            autocomplete="off"
            maxlength="64"
            list="results-sources"
            [value]="sourceDraft()"
            (input)="sourceDraft.set($any($event.target).value.trim())"
            (change)="applySource()"
            aria-describedby="results-source-help"
          />
          <datalist id="results-sources">
            @for (s of knownSources(); track s) {
              <option [value]="s"></option>
            }
          </datalist>
          <mat-hint id="results-source-help" [class.hint-error]="sourceInvalid()">{{
            sourceInvalid() ? 'Letters, digits, _ and - only' : 'Empty: all sources'
          }}</mat-hint>
        </mat-form-field>
        <mat-form-field class="narrow">
          <mat-label>Agent</mat-label>
          <mat-select [value]="agentFilter()" (selectionChange)="setAgent($event.value)">
            <mat-option value="">All agents</mat-option>
            <mat-option value="wifi">wifi</mat-option>
            <mat-option value="base">base</mat-option>
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>From</mat-label>
          <input
            matInput
            type="datetime-local"
            [value]="fromFilter()"
            (change)="setTime('from', $any($event.target).value)"
          />
        </mat-form-field>
        <mat-form-field>
          <mat-label>To</mat-label>
          <input
            matInput
            type="datetime-local"
            [value]="toFilter()"
            (change)="setTime('to', $any($event.target).value)"
          />
        </mat-form-field>
        <mat-form-field class="narrow">
          <mat-label>Show</mat-label>
          <mat-select [value]="limit()" (selectionChange)="limit.set($event.value)">
            @for (n of limits; track n) {
              <mat-option [value]="n">latest {{ n }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <div class="toggles">
          <mat-slide-toggle [checked]="anomalousOnly()" (change)="setAnomalous($event.checked)"
            >Anomalous only</mat-slide-toggle
          >
          <mat-slide-toggle [checked]="anomaliesFirst()" (change)="anomaliesFirst.set($event.checked)"
            >Anomalous first</mat-slide-toggle
          >
        </div>
      </form>

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
    .filters .narrow {
      width: 140px;
    }
    .toggles {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 20px;
      margin: 8px 0 20px;
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

  protected readonly limits = [100, 500, 1000];
  protected readonly count = formatCount;
  protected readonly time = formatTime;
  protected readonly feature = featureText;

  protected readonly sourceFilter = linkedSignal(() => {
    const s = this.source() ?? '';
    return SOURCE_NAME.test(s) ? s : '';
  });
  protected readonly sourceDraft = linkedSignal(() => this.sourceFilter());
  protected readonly sourceInvalid = computed(
    () => this.sourceDraft() !== '' && !SOURCE_NAME.test(this.sourceDraft()),
  );
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
  protected readonly knownSources = computed(() =>
    [...new Set(this.stored().map((r) => r.source))].sort((a, b) => a.localeCompare(b)),
  );
  protected readonly emptyText = computed(() => {
    const q = this.query();
    return q.source || q.agent || q.from || q.to || q.anomalous
      ? 'No stored windows match these filters.'
      : 'No stored results yet: the agents store a result for every window of logs published to logs.wifi.<site> ' +
          'or logs.generic.<source>.';
  });

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

  protected applySource(): void {
    if (this.sourceInvalid()) return;
    this.sourceFilter.set(this.sourceDraft());
    this.syncUrl();
  }

  protected setAgent(agent: AgentKind | ''): void {
    this.agentFilter.set(agent);
    this.syncUrl();
  }

  protected setAnomalous(only: boolean): void {
    this.anomalousOnly.set(only);
    this.syncUrl();
  }

  protected setTime(which: 'from' | 'to', value: string): void {
    (which === 'from' ? this.fromFilter : this.toFilter).set(value);
    this.syncUrl();
  }

  /** Keeps the filters in the address, so a reload or a shared link shows the same view. */
  private syncUrl(): void {
    const q = this.query();
    void this.router.navigate([], {
      queryParams: {
        source: q.source ?? null,
        agent: q.agent ?? null,
        anomalous: q.anomalous ? 'true' : null,
        from: q.from ?? null,
        to: q.to ?? null,
      },
      replaceUrl: true,
    });
  }
}
