import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTableModule } from '@angular/material/table';
import type { PublicReadinessDto, ReadinessDto } from '@loglens/contracts';
import { interval, map } from 'rxjs';
import { HealthData } from './health.data';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';

export const HEALTH_REFRESH_MS = 5000;

interface ServiceRow {
  name: string;
  up: boolean;
  instances: number;
  status: string;
}

/** The body names the services only when the console sent a key; without one it is `{status}`. */
function detailed(r: ReadinessDto | PublicReadinessDto): r is ReadinessDto {
  return 'services' in r;
}

function serviceRows(r: ReadinessDto | PublicReadinessDto): ServiceRow[] {
  if (!detailed(r)) return [];
  return Object.entries(r.services).map(([name, s]) => ({
    name,
    up: s.up,
    instances: s.instances,
    status: s.status ?? (s.up ? 'up' : 'down'),
  }));
}

@Component({
  selector: 'll-health-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    MatButtonModule,
    MatSlideToggleModule,
    MatTableModule,
    IconComponent,
    LoadStateComponent,
  ],
  template: `
    <section class="page" aria-labelledby="health-title">
      <header class="page-header">
        <h1 id="health-title">Health</h1>
        <mat-slide-toggle [checked]="autoRefresh()" (change)="autoRefresh.set($event.checked)"
          >Refresh every {{ refreshSeconds }} s</mat-slide-toggle
        >
        <button mat-stroked-button type="button" (click)="ready.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh now
        </button>
      </header>

      <ll-load-state
        [state]="ready.state()"
        [empty]="rows().length === 0 && ready.value()?.missing !== undefined"
        loadingText="Asking the gateway…"
        failedText="Could not reach the gateway's readiness check."
        emptyText="The gateway reported no services."
        (retry)="ready.reload()"
      />

      @if (ready.value(); as r) {
        <div class="overall" [class.ok]="r.status === 'ready'" [class.bad]="r.status !== 'ready'" role="status">
          <strong>{{ r.status === 'ready' ? 'Ready.' : 'Not ready.' }}</strong>
          @if (r.missing === undefined) {
            <span>Set an API key in Settings to see each service.</span>
          } @else if (r.missing.length > 0) {
            <span>No instance of {{ r.missing.join(', ') }} answered.</span>
          } @else {
            <span>Every service answered.</span>
          }
          <span class="muted checked">Checked {{ r.checkedAt | date: 'mediumTime' }}</span>
        </div>

        @if (rows().length > 0) {
          <div class="table-scroll">
            <table mat-table [dataSource]="rows()" aria-label="Services">
              <ng-container matColumnDef="name">
                <th mat-header-cell *matHeaderCellDef scope="col">Service</th>
                <td mat-cell *matCellDef="let s">{{ s.name }}</td>
              </ng-container>
              <ng-container matColumnDef="up">
                <th mat-header-cell *matHeaderCellDef scope="col">State</th>
                <td mat-cell *matCellDef="let s">
                  <span class="status-chip" [class.ok]="s.up" [class.bad]="!s.up">{{
                    s.up ? 'up' : 'down'
                  }}</span>
                </td>
              </ng-container>
              <ng-container matColumnDef="instances">
                <th mat-header-cell *matHeaderCellDef scope="col">Instances</th>
                <td mat-cell *matCellDef="let s" class="num">{{ s.instances }}</td>
              </ng-container>
              <ng-container matColumnDef="status">
                <th mat-header-cell *matHeaderCellDef scope="col">Status</th>
                <td mat-cell *matCellDef="let s">{{ s.status }}</td>
              </ng-container>
              <tr mat-header-row *matHeaderRowDef="columns"></tr>
              <tr mat-row *matRowDef="let row; columns: columns"></tr>
            </table>
          </div>
        }
      }
    </section>
  `,
  styles: `
    .overall {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 6px;
      padding: 12px 16px;
      margin-bottom: 16px;
      border-radius: 8px;
    }
    .overall.ok {
      background: #c8ecd0;
      color: #0b4d1d;
    }
    .overall.bad {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .checked {
      margin-left: auto;
    }
    .table-scroll {
      max-width: 720px;
    }
    .num {
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class HealthPageComponent {
  private readonly api = inject(HealthData);

  protected readonly refreshSeconds = HEALTH_REFRESH_MS / 1000;
  protected readonly columns = ['name', 'up', 'instances', 'status'];
  protected readonly autoRefresh = signal(true);
  protected readonly ready = createLoader(() =>
    this.api.readiness().pipe(
      map((r) => ({ status: r.status, missing: detailed(r) ? r.missing : undefined, rows: serviceRows(r), checkedAt: new Date() })),
    ),
  );
  protected readonly rows = computed(() => this.ready.value()?.rows ?? []);

  constructor() {
    interval(HEALTH_REFRESH_MS)
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        // a slow check is not cancelled by the next tick: that would never finish on a struggling gateway
        if (this.autoRefresh() && this.ready.state().status !== 'loading') this.ready.reload();
      });
  }
}
