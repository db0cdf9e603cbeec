import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import type { ModelSummaryDto, ModelVersionSummaryDto } from '@loglens/contracts';
import { ModelsData } from '../../core/data/models.data';
import { LiveEventsService } from '../../core/live-events.service';
import { SessionService } from '../../core/session.service';
import { IconComponent } from '../../shared/icon.component';
import { reloadOnLive } from '../../shared/live-reload';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { SourceBindingsComponent } from './source-bindings.component';

interface ModelRow {
  name: string;
  task: string;
  description: string;
  owner: string;
  servingVersion: string | null;
  /** where a click on the model goes: the serving version, else the newest one */
  detailRef: string | null;
  aliases: Array<{ alias: string; ref: string }>;
  versions: ModelVersionSummaryDto[];
  archivedCount: number;
}

function toRow(m: ModelSummaryDto, showArchived: boolean): ModelRow {
  const all = [...m.versions].sort((a, b) => b.version - a.version);
  const versions = showArchived ? all : all.filter((v) => !v.archivedAt);
  return {
    name: m.name,
    task: m.task,
    description: m.description,
    owner: m.owner,
    servingVersion: m.servingVersion,
    detailRef: m.servingVersion ?? all[0]?.ref ?? null,
    aliases: Object.entries(m.aliases ?? {})
      .map(([alias, ref]) => ({ alias, ref }))
      .sort((a, b) => a.alias.localeCompare(b.alias)),
    versions,
    archivedCount: all.length - versions.length,
  };
}

const VALIDATION_MARK: Record<'pass' | 'warn' | 'fail', string> = { pass: '✓', warn: '!', fail: '✗' };

/** How long a row stays highlighted after a live change. */
const CHANGED_MS = 6000;

@Component({
  selector: 'll-models-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    MatTableModule,
    MatButtonModule,
    MatSlideToggleModule,
    MatTooltipModule,
    IconComponent,
    LoadStateComponent,
    SourceBindingsComponent,
  ],
  template: `
    <section class="page" aria-labelledby="models-title">
      <header class="page-header">
        <h1 id="models-title">Models</h1>
        <mat-slide-toggle [checked]="showArchived()" (change)="showArchived.set($event.checked)"
          >Show archived versions</mat-slide-toggle
        >
        @if (session.canChange()) {
          <a mat-flat-button routerLink="/upload"
            ><ll-icon name="upload" class="btn-icon" /> Upload a version</a
          >
        }
        <button mat-stroked-button type="button" (click)="models.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
      </header>

      <ll-load-state
        [state]="models.state()"
        [empty]="rows().length === 0"
        loadingText="Loading models…"
        failedText="Could not load the models."
        [emptyText]="emptyText()"
        (retry)="models.reload()"
      />

      @if (rows().length > 0) {
        <div class="table-scroll">
          <table mat-table [dataSource]="rows()" aria-label="Registered models">
            <ng-container matColumnDef="name">
              <th mat-header-cell *matHeaderCellDef scope="col">Name</th>
              <td mat-cell *matCellDef="let row">
                @if (row.detailRef) {
                  <a class="model-link" [routerLink]="['/models', row.detailRef]">{{ row.name }}</a>
                } @else {
                  <span class="model-link">{{ row.name }}</span>
                }
                @if (row.description) {
                  <div class="muted description">{{ row.description }}</div>
                }
                <div class="muted small">
                  {{ row.task || 'no task' }}{{ row.owner ? ' · ' + row.owner : '' }}
                </div>
              </td>
            </ng-container>
            <ng-container matColumnDef="serving">
              <th mat-header-cell *matHeaderCellDef scope="col">Serving</th>
              <td mat-cell *matCellDef="let row" class="serving-cell">
                @if (row.servingVersion) {
                  <a [routerLink]="['/models', row.servingVersion]"
                    ><code>{{ row.servingVersion }}</code></a
                  >
                } @else {
                  <span class="muted">none</span>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="aliases">
              <th mat-header-cell *matHeaderCellDef scope="col">Aliases</th>
              <td mat-cell *matCellDef="let row">
                <ul class="chips" [attr.aria-label]="'Aliases of ' + row.name">
                  @for (a of row.aliases; track a.alias) {
                    <li>
                      <a class="alias-chip" [routerLink]="['/models', a.ref]"
                        >{{ a.alias }} → v{{ versionOf(a.ref) }}</a
                      >
                    </li>
                  } @empty {
                    <li class="muted">none</li>
                  }
                </ul>
              </td>
            </ng-container>
            <ng-container matColumnDef="versions">
              <th mat-header-cell *matHeaderCellDef scope="col">Versions</th>
              <td mat-cell *matCellDef="let row">
                <ul class="chips" [attr.aria-label]="'Versions of ' + row.name">
                  @for (v of row.versions; track v.ref) {
                    <li>
                      <a
                        class="status-chip status-{{ v.status }}"
                        [class.archived]="!!v.archivedAt"
                        [routerLink]="['/models', v.ref]"
                        [matTooltip]="tooltip(v)"
                        [attr.aria-label]="label(v)"
                        >v{{ v.version }} · {{ v.status }}</a
                      >
                      @if (v.validation) {
                        <span class="vmark vmark-{{ v.validation }}" aria-hidden="true">{{ markOf(v) }}</span>
                      }
                    </li>
                  } @empty {
                    <li class="muted">no versions</li>
                  }
                </ul>
                @if (row.archivedCount > 0) {
                  <div class="muted small">{{ row.archivedCount }} archived hidden</div>
                }
              </td>
            </ng-container>
            <ng-container matColumnDef="links">
              <th mat-header-cell *matHeaderCellDef scope="col">
                <span class="visually-hidden">Links</span>
              </th>
              <td mat-cell *matCellDef="let row" class="links">
                <a
                  [routerLink]="['/history']"
                  [queryParams]="{ model: row.name }"
                  [attr.aria-label]="'History of ' + row.name"
                  >History</a
                >
                @if (session.canChange()) {
                  <a
                    [routerLink]="['/upload']"
                    [queryParams]="{ model: row.name }"
                    [attr.aria-label]="'Upload a new version of ' + row.name"
                    >New version</a
                  >
                }
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <!-- the name link is the keyboard route; a click anywhere else on the row is a mouse shortcut to it -->
            <tr
              mat-row
              *matRowDef="let row; columns: columns"
              class="model-row"
              [class.changed]="changed().has(row.name)"
              [attr.data-model]="row.name"
              (click)="open(row, $event)"
            ></tr>
          </table>
        </div>
      }

      <ll-source-bindings [models]="models.value()?.models ?? []" />
    </section>
  `,
  styles: `
    .model-row {
      cursor: pointer;
      transition: background 0.6s;
    }
    .model-row:hover {
      background: var(--mat-sys-surface-container-low);
    }
    .model-row.changed {
      background: var(--mat-sys-tertiary-container);
    }
    .model-link {
      font-weight: 600;
    }
    .description {
      font-size: 0.85em;
      max-width: 36ch;
    }
    .small {
      font-size: 0.8em;
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      list-style: none;
      margin: 0;
      padding: 4px 0;
    }
    .chips li {
      white-space: nowrap;
    }
    .alias-chip {
      display: inline-block;
      padding: 2px 8px;
      border-radius: 12px;
      font: var(--mat-sys-label-medium);
      text-decoration: none;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .archived {
      text-decoration: line-through;
    }
    .vmark {
      margin-left: 2px;
      font-weight: 700;
    }
    .vmark-pass {
      color: #1a7f37;
    }
    .vmark-warn {
      color: #9a6700;
    }
    .vmark-fail {
      color: var(--mat-sys-error);
    }
    .links a {
      display: block;
      white-space: nowrap;
      padding: 2px 0;
    }
    td.mat-mdc-cell,
    th.mat-mdc-header-cell {
      padding-top: 8px;
      padding-bottom: 8px;
      vertical-align: top;
    }
  `,
})
export class ModelsPageComponent {
  private readonly api = inject(ModelsData);
  private readonly router = inject(Router);
  protected readonly session = inject(SessionService);

  protected readonly columns = ['name', 'serving', 'aliases', 'versions', 'links'];
  protected readonly showArchived = signal(false);
  protected readonly models = createLoader(() => this.api.list());
  protected readonly rows = computed(() =>
    (this.models.value()?.models ?? []).map((m) => toRow(m, this.showArchived())),
  );
  protected readonly emptyText = computed(() =>
    this.session.canChange()
      ? 'No models are registered yet. Upload a version to create the first one.'
      : 'No models are registered yet. An operator can upload the first version.',
  );
  /** models changed by a live event a moment ago */
  protected readonly changed = signal<ReadonlySet<string>>(new Set());

  constructor() {
    reloadOnLive(this.models);
    inject(LiveEventsService)
      .events.pipe(takeUntilDestroyed())
      .subscribe((e) => {
        const model = e.data.model;
        this.changed.update((s) => new Set(s).add(model));
        setTimeout(() => this.changed.update((s) => new Set([...s].filter((m) => m !== model))), CHANGED_MS);
      });
  }

  protected markOf(v: ModelVersionSummaryDto): string {
    return v.validation ? VALIDATION_MARK[v.validation] : '';
  }

  protected versionOf(ref: string): string {
    return ref.slice(ref.lastIndexOf('@') + 1);
  }

  protected tooltip(v: ModelVersionSummaryDto): string {
    const parts = [`Created ${new Date(v.createdAt).toLocaleString()} by ${v.createdBy}`];
    if (v.validation) parts.push(`validation: ${v.validation}`);
    if (v.tags.length) parts.push(`tags: ${v.tags.join(', ')}`);
    if (v.archivedAt) parts.push('archived');
    return parts.join(' · ');
  }

  protected label(v: ModelVersionSummaryDto): string {
    return `Version ${v.version}, ${v.status}${v.validation ? `, validation ${v.validation}` : ''}${v.archivedAt ? ', archived' : ''}`;
  }

  protected open(row: ModelRow, event: MouseEvent): void {
    if (!row.detailRef || (event.target as Element | null)?.closest('a, button')) return;
    void this.router.navigate(['/models', row.detailRef]);
  }
}
