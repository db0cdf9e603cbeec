import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import type { ModelSummaryDto, ModelVersionSummaryDto } from '@loglens/contracts';
import { ApiClient } from '../../core/api-client.service';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';

interface ModelRow {
  name: string;
  task: string;
  description: string;
  servingVersion: string | null;
  /** where a click on the model goes: the serving version, else the newest one */
  detailRef: string | null;
  versions: ModelVersionSummaryDto[];
}

function toRow(m: ModelSummaryDto): ModelRow {
  const versions = [...m.versions].sort((a, b) => b.version - a.version);
  return {
    name: m.name,
    task: m.task,
    description: m.description,
    servingVersion: m.servingVersion,
    detailRef: m.servingVersion ?? versions[0]?.ref ?? null,
    versions,
  };
}

@Component({
  selector: 'll-models-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    DatePipe,
    MatTableModule,
    MatButtonModule,
    MatTooltipModule,
    IconComponent,
    LoadStateComponent,
  ],
  template: `
    <section class="page" aria-labelledby="models-title">
      <header class="page-header">
        <h1 id="models-title">Models</h1>
        <button mat-stroked-button type="button" (click)="models.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
      </header>

      <ll-load-state
        [state]="models.state()"
        [empty]="rows().length === 0"
        loadingText="Loading models…"
        failedText="Could not load the models."
        emptyText="No models are registered yet. Register a version through the gateway API to see it here."
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
              </td>
            </ng-container>
            <ng-container matColumnDef="task">
              <th mat-header-cell *matHeaderCellDef scope="col">Task</th>
              <td mat-cell *matCellDef="let row">{{ row.task || '—' }}</td>
            </ng-container>
            <ng-container matColumnDef="serving">
              <th mat-header-cell *matHeaderCellDef scope="col">Serving</th>
              <td mat-cell *matCellDef="let row">
                @if (row.servingVersion) {
                  <code>{{ row.servingVersion }}</code>
                } @else {
                  <span class="muted">none</span>
                }
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
                        [routerLink]="['/models', v.ref]"
                        [matTooltip]="'Created ' + (v.createdAt | date: 'medium') + ' by ' + v.createdBy"
                        [attr.aria-label]="'Version ' + v.version + ', ' + v.status"
                        >v{{ v.version }} · {{ v.status }}</a
                      >
                    </li>
                  } @empty {
                    <li class="muted">no versions</li>
                  }
                </ul>
              </td>
            </ng-container>
            <tr mat-header-row *matHeaderRowDef="columns"></tr>
            <!-- the name link is the keyboard route; a click anywhere else on the row is a mouse shortcut to it -->
            <tr
              mat-row
              *matRowDef="let row; columns: columns"
              class="model-row"
              (click)="open(row, $event)"
            ></tr>
          </table>
        </div>
      }
    </section>
  `,
  styles: `
    .model-row {
      cursor: pointer;
    }
    .model-row:hover {
      background: var(--mat-sys-surface-container-low);
    }
    .model-link {
      font-weight: 600;
    }
    .description {
      font-size: 0.85em;
      max-width: 36ch;
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      list-style: none;
      margin: 0;
      padding: 4px 0;
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
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);

  protected readonly columns = ['name', 'task', 'serving', 'versions'];
  protected readonly models = createLoader(() => this.api.listModels());
  protected readonly rows = computed(() => (this.models.value()?.models ?? []).map(toRow));

  protected open(row: ModelRow, event: MouseEvent): void {
    if (!row.detailRef || (event.target as Element | null)?.closest('a, button')) return;
    void this.router.navigate(['/models', row.detailRef]);
  }
}
