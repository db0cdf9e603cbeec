import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type {
  HistoryEntryDto,
  ModelSummaryDto,
  ModelVersionDto,
  ValidationReportDto,
} from '@loglens/contracts';
import {
  type VersionAction,
  type VersionFacts,
  actionState,
  refusal,
} from '@loglens/contracts/protocol';
import { type Observable, catchError, forkJoin, interval, map, of, switchMap, throwError } from 'rxjs';
import { ApiClient } from '../../core/api-client.service';
import { ApiError } from '../../core/api-error';
import { SessionService } from '../../core/session.service';
import { formatBytes, formatMs, formatNumber, formatPercent, formatShape } from '../../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { LineChartComponent } from '../../shared/line-chart.component';
import { reloadOnLive } from '../../shared/live-reload';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { ValidationReportComponent } from '../../shared/validation-report.component';
import {
  PERFORMANCE_REFRESH_MS,
  type PerformanceView,
  loadPerformance,
  seriesOf,
} from '../performance/performance-data';
import { type ActionResult, ModelActions } from './model-actions.service';

interface SignatureRow {
  direction: 'input' | 'output';
  name: string;
  kind: string;
  elemType: string;
  shape: string;
  role: string;
}

interface MetricRow {
  name: string;
  value: string;
}

function signatureRows(v: ModelVersionDto): SignatureRow[] {
  const rows = (
    direction: SignatureRow['direction'],
    list: ModelVersionDto['signature']['inputs'],
  ): SignatureRow[] =>
    list.map((t) => ({
      direction,
      name: t.name,
      kind: t.kind,
      elemType: t.elemType ?? 'unknown',
      shape: formatShape(t.shape),
      role:
        direction === 'input' && t.name === v.inputName
          ? 'rows are fed here'
          : direction === 'output' && t.name === v.scoreOutput
            ? 'anomaly score'
            : '',
    }));
  return [...rows('input', v.signature.inputs), ...rows('output', v.signature.outputs)];
}

/** Flattens `metadata.metrics` (possibly nested, e.g. `{ test: { f1: 0.9 } }`) into `test.f1 = 0.9` rows. */
export function metricRows(metadata: Record<string, unknown>): MetricRow[] {
  const out: MetricRow[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') out.push({ name: path, value: formatNumber(value) });
    else if (typeof value === 'string' || typeof value === 'boolean')
      out.push({ name: path, value: String(value) });
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(metadata['metrics'], '');
  return out;
}

/**
 * What a rollback without `to` would serve: the registry takes the `from` of the latest serving change, provided
 * that change is what serves now. Null when there is nothing to roll back to.
 */
export function rollbackTarget(entries: HistoryEntryDto[], servingRef: string | null): string | null {
  const last = entries.find((e) => e.kind === 'serving');
  return last && servingRef && last.to === servingRef ? last.from : null;
}

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

@Component({
  selector: 'll-version-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    DatePipe,
    MatButtonModule,
    MatTableModule,
    MatTooltipModule,
    IconComponent,
    LineChartComponent,
    LoadStateComponent,
    ValidationReportComponent,
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

      @if (session.canChange() && version(); as v) {
        <div class="actions" role="group" aria-label="Actions on this version">
          <button
            mat-flat-button
            type="button"
            disabledInteractive
            [disabled]="busy() || !can().deploy.enabled"
            [matTooltip]="can().deploy.reason ?? ''"
            (click)="can().deploy.enabled && act(actions.deploy(v, servingRef()))"
          >
            Deploy
          </button>
          @if (rollbackTo(); as target) {
            <button
              mat-flat-button
              type="button"
              disabledInteractive
              [disabled]="busy() || !target.enabled"
              [matTooltip]="target.reason ?? ''"
              (click)="target.enabled && act(actions.rollback(v.model, v.ref, target.ref))"
            >
              Roll back to {{ target.ref }}
            </button>
          }
          <button
            mat-stroked-button
            type="button"
            disabledInteractive
            [disabled]="busy() || !can().load.enabled"
            [matTooltip]="can().load.reason ?? ''"
            (click)="can().load.enabled && act(actions.load(v))"
          >
            Load
          </button>
          <button
            mat-stroked-button
            type="button"
            disabledInteractive
            [disabled]="busy() || !can().unload.enabled"
            [matTooltip]="can().unload.reason ?? ''"
            (click)="can().unload.enabled && act(actions.unload(v))"
          >
            Unload
          </button>
          <button
            mat-stroked-button
            type="button"
            disabledInteractive
            [disabled]="busy() || !can().validate.enabled"
            [matTooltip]="can().validate.reason ?? ''"
            (click)="can().validate.enabled && act(actions.validate(v))"
          >
            Validate
          </button>
          <button
            mat-stroked-button
            type="button"
            disabledInteractive
            [disabled]="busy() || !can().alias.enabled"
            [matTooltip]="can().alias.reason ?? ''"
            (click)="can().alias.enabled && act(actions.setAlias(v, modelAliases()))"
          >
            Set alias…
          </button>
          <button
            mat-stroked-button
            type="button"
            disabledInteractive
            [disabled]="busy() || !can().tags.enabled"
            [matTooltip]="can().tags.reason ?? ''"
            (click)="can().tags.enabled && act(actions.editTags(v))"
          >
            Tags…
          </button>
          <button
            mat-stroked-button
            type="button"
              class="danger"
            disabledInteractive
            [disabled]="busy() || !can().archive.enabled"
            [matTooltip]="can().archive.reason ?? ''"
            (click)="can().archive.enabled && act(actions.archive(v))"
          >
            Archive
          </button>
          @if (busy()) {
            <span class="muted" role="status">Working…</span>
          }
        </div>
        @if (actionHints().length) {
          <ul class="hints muted">
            @for (h of actionHints(); track h) {
              <li>{{ h }}</li>
            }
          </ul>
        }
      } @else if (session.role() === 'viewer') {
        <p class="muted viewer-note">
          Your key is a viewer key: you can read everything here but change nothing.
        </p>
      }
      @if (actionError()) {
        <div class="action-error" role="alert">
          <span>{{ actionError() }}</span>
          <button
            mat-icon-button
            type="button"
            aria-label="Dismiss the error"
            (click)="actionError.set(null)"
          >
            <ll-icon name="close" />
          </button>
        </div>
      }

      <ll-load-state
        [state]="detail.state()"
        loadingText="Loading the version…"
        failedText="Could not load this version."
        (retry)="detail.reload()"
      />

      @if (version(); as v) {
        <dl class="facts">
          <div>
            <dt>Reference</dt>
            <dd>
              <code>{{ v.ref }}</code>
            </dd>
          </div>
          <div>
            <dt>Serving now</dt>
            <dd>
              @if (servingRef(); as s) {
                <a [routerLink]="['/models', s]"
                  ><code>{{ s }}</code></a
                >
              } @else {
                <span class="muted">nothing</span>
              }
            </dd>
          </div>
          <div>
            <dt>Aliases on this version</dt>
            <dd>
              <ul class="chips" aria-label="Aliases on this version">
                @for (a of v.aliases; track a) {
                  <li class="alias-chip">
                    <code>{{ v.model }}&#64;{{ a }}</code>
                    @if (session.canChange()) {
                      <button
                        type="button"
                        class="chip-remove"
                        [attr.aria-label]="'Delete alias ' + a"
                        [matTooltip]="'Delete alias ' + a"
                        [disabled]="busy()"
                        (click)="act(actions.deleteAlias(v.model, a, v.ref))"
                      >
                        <ll-icon name="close" />
                      </button>
                    }
                  </li>
                } @empty {
                  <li class="muted">none</li>
                }
              </ul>
            </dd>
          </div>
          <div>
            <dt>Tags</dt>
            <dd>{{ v.tags.length ? v.tags.join(', ') : 'none' }}</dd>
          </div>
          <div>
            <dt>Threshold</dt>
            <dd>{{ v.threshold === null ? 'none (scores only)' : formatNumber(v.threshold) }}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{{ v.createdAt | date: 'medium' }} by {{ v.createdBy }}</dd>
          </div>
          @if (v.servingSince) {
            <div>
              <dt>Serving since</dt>
              <dd>{{ v.servingSince | date: 'medium' }}</dd>
            </div>
          }
          @if (v.archivedAt) {
            <div>
              <dt>Archived</dt>
              <dd>{{ v.archivedAt | date: 'medium' }}</dd>
            </div>
          }
          <div>
            <dt>Size</dt>
            <dd>{{ formatBytes(v.sizeBytes) }}</dd>
          </div>
          <div>
            <dt>SHA-256</dt>
            <dd>
              <code [title]="v.sha256">{{ v.sha256.slice(0, 16) }}…</code>
            </dd>
          </div>
          <div>
            <dt>Scaler</dt>
            <dd>
              @if (v.scalerSha256) {
                <code [title]="v.scalerSha256">{{ v.scalerSha256.slice(0, 16) }}…</code>
              } @else {
                <span class="muted">none</span>
              }
            </dd>
          </div>
          <div>
            <dt>Producer</dt>
            <dd>{{ v.producer || 'unknown' }} (IR {{ v.irVersion }})</dd>
          </div>
          <div>
            <dt>Opsets</dt>
            <dd>
              @for (o of v.opsets; track o.domain) {
                <code>{{ o.domain || 'ai.onnx' }} {{ o.version }}</code
                >{{ $last ? '' : ', ' }}
              }
            </dd>
          </div>
        </dl>

        @if (otherVersions().length > 0) {
          <h2 class="section-title">Other versions</h2>
          <ul class="chips">
            @for (o of otherVersions(); track o.ref) {
              <li>
                <a class="status-chip status-{{ o.status }}" [routerLink]="['/models', o.ref]"
                  >v{{ o.version }} · {{ o.status }}</a
                >
              </li>
            }
          </ul>
        }

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
        @switch (liveMetrics().kind) {
          @case ('loading') {
            <p class="muted">Loading performance…</p>
          }
          @case ('unavailable') {
            <p class="muted">{{ liveMetrics().text }}</p>
          }
          @case ('idle') {
            <p class="muted">{{ liveMetrics().text }}</p>
          }
          @case ('data') {
            @if (perf(); as p) {
              <dl class="facts metrics-facts">
                <div>
                  <dt>Throughput</dt>
                  <dd>{{ formatNumber(round2(p.throughputPerSec)) }} req/s</dd>
                </div>
                <div>
                  <dt>Latency p50 / p95 / p99</dt>
                  <dd>
                    {{ formatMs(p.latencyMs.p50) }} / {{ formatMs(p.latencyMs.p95) }} /
                    {{ formatMs(p.latencyMs.p99) }}
                  </dd>
                </div>
                <div>
                  <dt>Queue vs compute (p50)</dt>
                  <dd>{{ formatMs(p.queueMs.p50) }} vs {{ formatMs(p.computeMs.p50) }}</dd>
                </div>
                <div>
                  <dt>Average batch</dt>
                  <dd>{{ formatNumber(round2(p.avgBatchSize)) }} rows</dd>
                </div>
                <div>
                  <dt>Error rate</dt>
                  <dd>
                    {{ formatPercent(p.errorRate) }} ({{ p.requests.failure }} of
                    {{ p.requests.success + p.requests.failure }})
                  </dd>
                </div>
              </dl>
              <ll-line-chart
                class="chart"
                title="Requests per 10 s, last 15 min"
                [series]="requestSeries()"
              />
              <p><a routerLink="/performance">All versions' performance</a></p>
            }
          }
        }

        <h2 class="section-title" id="sig-title">Signature</h2>
        <div class="table-scroll">
          <table mat-table [dataSource]="signature()" aria-labelledby="sig-title">
            <ng-container matColumnDef="direction">
              <th mat-header-cell *matHeaderCellDef scope="col">In/out</th>
              <td mat-cell *matCellDef="let r">{{ r.direction }}</td>
            </ng-container>
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef scope="col">Name</th>
              <td mat-cell *matCellDef="let r">
                <code>{{ r.name }}</code>
              </td>
            </ng-container>
            <ng-container matColumnDef="type">
              <th mat-header-cell *matHeaderCellDef scope="col">Type</th>
              <td mat-cell *matCellDef="let r">{{ r.kind }}&lt;{{ r.elemType }}&gt;</td>
            </ng-container>
            <ng-container matColumnDef="shape">
              <th mat-header-cell *matHeaderCellDef scope="col">Shape</th>
              <td mat-cell *matCellDef="let r">
                <code>{{ r.shape }}</code>
              </td>
            </ng-container>
            <ng-container matColumnDef="role">
              <th mat-header-cell *matHeaderCellDef scope="col">Used as</th>
              <td mat-cell *matCellDef="let r">{{ r.role }}</td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="signatureColumns"></tr>
            <tr mat-row *matRowDef="let row; columns: signatureColumns"></tr>
          </table>
        </div>

        <h2 class="section-title" id="features-title">
          Feature schema
          @if (v.featureSchema) {
            <span class="muted"
              >({{ v.featureSchema.features.length }} features, extractor {{ v.featureSchema.version }})</span
            >
          }
        </h2>
        @if (v.featureSchema && v.featureSchema.features.length > 0) {
          <div class="table-scroll">
            <table mat-table [dataSource]="v.featureSchema.features" aria-labelledby="features-title">
              <ng-container matColumnDef="index">
                <th mat-header-cell *matHeaderCellDef scope="col">#</th>
                <td mat-cell *matCellDef="let f; let i = index">{{ i }}</td>
              </ng-container>
              <ng-container matColumnDef="name">
                <th mat-header-cell *matHeaderCellDef scope="col">Name</th>
                <td mat-cell *matCellDef="let f">
                  <code>{{ f.name }}</code>
                </td>
              </ng-container>
              <ng-container matColumnDef="dtype">
                <th mat-header-cell *matHeaderCellDef scope="col">Type</th>
                <td mat-cell *matCellDef="let f">{{ f.dtype }}</td>
              </ng-container>
              <ng-container matColumnDef="description">
                <th mat-header-cell *matHeaderCellDef scope="col">Description</th>
                <td mat-cell *matCellDef="let f">{{ f.description ?? '' }}</td>
              </ng-container>
              <tr mat-header-row *matHeaderRowDef="featureColumns"></tr>
              <tr mat-row *matRowDef="let row; columns: featureColumns"></tr>
            </table>
          </div>
        } @else {
          <p class="muted">
            No feature schema: rows are given as arrays in the model's input order, or as objects keyed by
            input name.
          </p>
        }

        <h2 class="section-title" id="metrics-title">Training metrics</h2>
        @if (metrics().length > 0) {
          <div class="table-scroll narrow">
            <table mat-table [dataSource]="metrics()" aria-labelledby="metrics-title">
              <ng-container matColumnDef="name">
                <th mat-header-cell *matHeaderCellDef scope="col">Metric</th>
                <td mat-cell *matCellDef="let m">{{ m.name }}</td>
              </ng-container>
              <ng-container matColumnDef="value">
                <th mat-header-cell *matHeaderCellDef scope="col">Value</th>
                <td mat-cell *matCellDef="let m" class="num">{{ m.value }}</td>
              </ng-container>
              <tr mat-header-row *matHeaderRowDef="metricColumns"></tr>
              <tr mat-row *matRowDef="let row; columns: metricColumns"></tr>
            </table>
          </div>
        } @else {
          <p class="muted">The trainer recorded no metrics for this version.</p>
        }

        <h2 class="section-title">Metadata</h2>
        @if (hasMetadata()) {
          <details class="metadata">
            <summary>All metadata ({{ metadataKeys() }})</summary>
            <pre>{{ metadataJson() }}</pre>
          </details>
        } @else {
          <p class="muted">No metadata was uploaded with this version.</p>
        }
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
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin-bottom: 8px;
    }
    .danger {
      --mat-button-outlined-label-text-color: var(--mat-sys-error);
    }
    .hints {
      margin: 0 0 12px;
      padding-left: 18px;
    }
    .facts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
      gap: 12px 24px;
      margin: 16px 0 0;
    }
    .facts dt {
      font: var(--mat-sys-label-medium);
      color: var(--mat-sys-on-surface-variant);
    }
    .facts dd {
      margin: 2px 0 0;
      overflow-wrap: anywhere;
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .alias-chip {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      padding: 0 2px 0 8px;
      border-radius: 12px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .chip-remove {
      display: inline-flex;
      border: 0;
      background: transparent;
      color: inherit;
      padding: 2px;
      border-radius: 50%;
      cursor: pointer;
    }
    .chip-remove ll-icon {
      width: 16px;
      height: 16px;
    }
    .chip-remove:hover {
      background: rgba(0, 0, 0, 0.08);
    }
    .narrow {
      max-width: 480px;
    }
    .num {
      font-variant-numeric: tabular-nums;
    }
    .action-error {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 4px 4px 4px 16px;
      margin-bottom: 16px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .chart {
      max-width: 720px;
      margin-top: 12px;
    }
    .metadata pre {
      overflow: auto;
      max-height: 400px;
      padding: 12px;
      background: var(--mat-sys-surface-container);
      border-radius: 8px;
    }
  `,
})
export class VersionDetailPageComponent {
  private readonly api = inject(ApiClient);
  protected readonly actions = inject(ModelActions);
  protected readonly session = inject(SessionService);

  /** from the route (`/models/:ref`) */
  readonly ref = input.required<string>();

  protected readonly signatureColumns = ['direction', 'name', 'type', 'shape', 'role'];
  protected readonly featureColumns = ['index', 'name', 'dtype', 'description'];
  protected readonly metricColumns = ['name', 'value'];
  protected readonly formatBytes = formatBytes;
  protected readonly formatNumber = formatNumber;
  protected readonly formatMs = formatMs;
  protected readonly formatPercent = formatPercent;
  protected readonly round2 = (n: number): number => Math.round(n * 100) / 100;

  protected readonly detail = createLoader(
    (ref: string): Observable<Detail> =>
      this.api.getVersion(ref).pipe(
        switchMap((version) =>
          forkJoin({
            models: this.api.listModels(),
            // only for the rollback target: the page is still useful without it
            history: this.api
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
    (ref: string) => validationOrNull(this.api.validation(ref)),
    () => this.ref(),
  );
  private readonly performance = createLoader(() => loadPerformance(this.api));

  protected readonly version = computed(() => this.detail.value()?.version ?? null);
  private readonly model = computed<ModelSummaryDto | null>(() => this.detail.value()?.model ?? null);
  protected readonly servingRef = computed(() => this.model()?.servingVersion ?? null);
  protected readonly modelAliases = computed(() => this.model()?.aliases ?? {});
  protected readonly otherVersions = computed(() => {
    const v = this.version();
    return (this.model()?.versions ?? [])
      .filter((o) => o.ref !== v?.ref)
      .sort((a, b) => b.version - a.version);
  });
  protected readonly signature = computed(() => {
    const v = this.version();
    return v ? signatureRows(v) : [];
  });
  protected readonly metrics = computed(() => metricRows(this.version()?.metadata ?? {}));
  protected readonly hasMetadata = computed(() => Object.keys(this.version()?.metadata ?? {}).length > 0);
  protected readonly metadataKeys = computed(() => Object.keys(this.version()?.metadata ?? {}).join(', '));
  protected readonly metadataJson = computed(() => JSON.stringify(this.version()?.metadata ?? {}, null, 2));

  /** The lifecycle facts of this version, as the registry judges them. */
  private readonly facts = computed<VersionFacts | null>(() => {
    const v = this.version();
    return v ? { ref: v.ref, status: v.status, archived: !!v.archivedAt, aliases: v.aliases } : null;
  });

  /**
   * Each action's button: enabled, or greyed out with the reason the registry would refuse it (or why it would change
   * nothing), from the one lifecycle table the registry enforces.
   */
  protected readonly can = computed(() => {
    const f = this.facts();
    const state = (action: VersionAction): { enabled: boolean; reason: string | null } =>
      f ? actionState(action, f) : { enabled: false, reason: null };
    return {
      deploy: state('deploy'),
      load: state('load'),
      unload: state('unload'),
      validate: state('validate'),
      alias: state('alias-target'),
      tags: state('tag'),
      archive: state('archive'),
    };
  });

  /** The rollback offered on the serving version: its target, and whether the table lets that version serve again. */
  protected readonly rollbackTo = computed(() => {
    const d = this.detail.value();
    const v = this.version();
    if (!d || !v || v.ref !== this.servingRef()) return null;
    const ref = rollbackTarget(d.history, this.servingRef());
    if (!ref) return null;
    const target = this.model()?.versions.find((o) => o.ref === ref);
    const { enabled, reason } = target
      ? actionState('rollback-target', {
          ref,
          status: target.status,
          archived: !!target.archivedAt,
          aliases: target.aliases,
        })
      : { enabled: true, reason: null };
    return { ref, enabled, reason };
  });

  protected readonly actionHints = computed(() => {
    const f = this.facts();
    if (!f) return [];
    const hints: string[] = [];
    if (f.status === 'serving') hints.push('This version is serving now.');
    const deploy = refusal('deploy', f);
    if (deploy) hints.push(`${deploy}.`);
    if (!f.archived && f.status !== 'serving' && f.aliases.length > 0)
      hints.push(`Move or delete its aliases (${f.aliases.join(', ')}) before archiving it.`);
    return hints;
  });

  private readonly perfView = computed<PerformanceView | null>(() => this.performance.value());
  protected readonly perf = computed(() => {
    const view = this.perfView();
    return view?.available ? (view.reply.versions.find((p) => p.ref === this.version()?.ref) ?? null) : null;
  });
  protected readonly liveMetrics = computed<{
    kind: 'loading' | 'unavailable' | 'idle' | 'data';
    text: string;
  }>(() => {
    const s = this.performance.state();
    if (s.status === 'error' && !s.value)
      return { kind: 'unavailable', text: `Could not load performance: ${s.message}` };
    const view = this.perfView();
    if (!view) return { kind: 'loading', text: '' };
    if (!view.available) return { kind: 'unavailable', text: view.reason };
    if (!this.perf())
      return { kind: 'idle', text: 'This version has not served a request since the workers started.' };
    return { kind: 'data', text: '' };
  });
  protected readonly requestSeries = computed(() => {
    const p = this.perf();
    return p ? seriesOf(p, 'requests') : [];
  });

  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);

  constructor() {
    reloadOnLive(this.detail, (e) => e.data.model === this.version()?.model);
    reloadOnLive(this.validation, (e) => e.data.model === this.version()?.model);
    interval(PERFORMANCE_REFRESH_MS)
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        if (this.performance.state().status !== 'loading') this.performance.reload();
      });
  }

  protected reloadAll(): void {
    this.detail.reload();
    this.validation.reload();
    this.performance.reload();
  }

  protected act(action: Observable<ActionResult | null>): void {
    this.actionError.set(null);
    this.busy.set(true);
    action.subscribe({
      next: (result) => {
        this.busy.set(false);
        if (!result) return;
        if (!result.ok) this.actionError.set(result.message);
        this.detail.reload();
        this.validation.reload();
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.actionError.set(String(err));
      },
    });
  }
}
