import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { SessionService } from '../../core/session.service';
import { type ModelRow, validationMark, versionLabel, versionOfRef, versionTooltip } from './model-rows';

/**
 * The registered models, one row each: name, serving version, aliases, version chips (with their validation mark)
 * and links to the history and to uploading a new version. A row changed by a live event is highlighted.
 */
@Component({
  selector: 'll-models-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatTableModule, MatTooltipModule],
  template: `
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
            <div class="muted small">{{ row.task || 'no task' }}{{ row.owner ? ' · ' + row.owner : '' }}</div>
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
  `,
  styles: `
    :host {
      display: block;
    }
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
export class ModelsTableComponent {
  private readonly router = inject(Router);
  protected readonly session = inject(SessionService);

  readonly rows = input.required<readonly ModelRow[]>();
  /** models changed by a live event a moment ago */
  readonly changed = input<ReadonlySet<string>>(new Set());

  protected readonly columns = ['name', 'serving', 'aliases', 'versions', 'links'];
  protected readonly markOf = validationMark;
  protected readonly versionOf = versionOfRef;
  protected readonly tooltip = versionTooltip;
  protected readonly label = versionLabel;

  protected open(row: ModelRow, event: MouseEvent): void {
    if (!row.detailRef || (event.target as Element | null)?.closest('a, button')) return;
    void this.router.navigate(['/models', row.detailRef]);
  }
}
