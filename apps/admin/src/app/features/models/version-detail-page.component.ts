import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { ModelSummaryDto, ModelVersionDto } from '@loglens/contracts';
import { filter, map, switchMap } from 'rxjs';
import { ApiClient } from '../../core/api-client.service';
import { ApiError } from '../../core/api-error';
import { SessionService } from '../../core/session.service';
import { formatBytes, formatNumber, formatShape } from '../../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { DeployDialogComponent, type DeployDialogData } from './deploy-dialog.component';

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

@Component({
  selector: 'll-version-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DatePipe, MatButtonModule, MatTableModule, IconComponent, LoadStateComponent],
  template: `
    <section class="page" aria-labelledby="version-title">
      <nav class="crumbs" aria-label="Breadcrumb"><a routerLink="/models">Models</a> / {{ ref() }}</nav>
      <header class="page-header">
        <h1 id="version-title">
          @if (version(); as v) {
            {{ v.model }} <span class="muted">v{{ v.version }}</span>
            <span class="status-chip status-{{ v.status }}">{{ v.status }}</span>
          } @else {
            {{ ref() }}
          }
        </h1>
        <button mat-stroked-button type="button" (click)="detail.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
        @if (session.canDeploy() && version(); as v) {
          <button
            mat-flat-button
            type="button"
            [disabled]="!deployable() || deploying()"
            [attr.aria-describedby]="deployHint() ? 'deploy-hint' : null"
            (click)="confirmDeploy(v)"
          >
            {{ deploying() ? 'Deploying…' : 'Deploy' }}
          </button>
        }
      </header>
      @if (session.canDeploy() && deployHint()) {
        <p id="deploy-hint" class="muted">{{ deployHint() }}</p>
      }
      @if (deployError()) {
        <div class="deploy-error" role="alert">Deploy failed: {{ deployError() }}</div>
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
          <p class="muted">No feature schema: rows must be given as arrays in the model's input order.</p>
        }

        <h2 class="section-title" id="metrics-title">Metrics</h2>
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

        @if (hasMetadata()) {
          <details class="metadata">
            <summary>All metadata</summary>
            <pre>{{ metadataJson() }}</pre>
          </details>
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
    .facts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
      gap: 12px 24px;
      margin: 0;
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
    .narrow {
      max-width: 480px;
    }
    .num {
      font-variant-numeric: tabular-nums;
    }
    .deploy-error {
      padding: 12px 16px;
      margin-bottom: 16px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .metadata {
      margin-top: 24px;
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
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(SessionService);

  /** from the route (`/models/:ref`) */
  readonly ref = input.required<string>();

  protected readonly signatureColumns = ['direction', 'name', 'type', 'shape', 'role'];
  protected readonly featureColumns = ['index', 'name', 'dtype', 'description'];
  protected readonly metricColumns = ['name', 'value'];
  protected readonly formatBytes = formatBytes;
  protected readonly formatNumber = formatNumber;

  protected readonly detail = createLoader(
    (ref: string) =>
      this.api.getVersion(ref).pipe(
        switchMap((version) =>
          this.api.listModels().pipe(
            map(({ models }) => ({
              version,
              model: models.find((m) => m.name === version.model) ?? null,
            })),
          ),
        ),
      ),
    () => this.ref(),
  );

  protected readonly version = computed(() => this.detail.value()?.version ?? null);
  private readonly model = computed<ModelSummaryDto | null>(() => this.detail.value()?.model ?? null);
  protected readonly servingRef = computed(() => this.model()?.servingVersion ?? null);
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
  protected readonly metadataJson = computed(() => JSON.stringify(this.version()?.metadata ?? {}, null, 2));

  protected readonly deploying = signal(false);
  protected readonly deployError = signal<string | null>(null);
  protected readonly deployable = computed(() => {
    const v = this.version();
    return !!v && v.ref !== this.servingRef() && v.status !== 'invalid';
  });
  protected readonly deployHint = computed(() => {
    const v = this.version();
    if (!v) return null;
    if (v.ref === this.servingRef()) return 'This version is serving now.';
    if (v.status === 'invalid') return 'This version failed validation and cannot be deployed.';
    return null;
  });

  protected confirmDeploy(v: ModelVersionDto): void {
    const data: DeployDialogData = { model: v.model, to: v.ref, from: this.servingRef() };
    this.deployError.set(null);
    this.dialog
      .open<DeployDialogComponent, DeployDialogData, boolean>(DeployDialogComponent, {
        data,
        width: '480px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(
        filter((ok) => ok === true),
        switchMap(() => {
          this.deploying.set(true);
          return this.api.deploy(v.ref);
        }),
      )
      .subscribe({
        next: (reply) => {
          this.deploying.set(false);
          this.snackBar.open(
            `${reply.model} now serves ${reply.to}${reply.from ? ` (was ${reply.from})` : ''}.`,
            'OK',
            {
              duration: 6000,
            },
          );
          this.detail.reload();
        },
        error: (err: unknown) => {
          this.deploying.set(false);
          this.deployError.set(err instanceof ApiError ? err.message : String(err));
        },
      });
  }
}
