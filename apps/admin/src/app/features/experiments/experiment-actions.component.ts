import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { ExperimentAction, ExperimentDto } from '@loglens/contracts/protocol';
import { ApiError } from '../../core/api-error';
import { SessionService } from '../../core/session.service';
import {
  ConfirmDialogComponent,
  type ConfirmDialogData,
  type ConfirmResult,
} from '../../shared/confirm-dialog.component';
import { actionConfirm } from './experiment-detail';
import { ExperimentsData } from './experiments.data';

/**
 * Pause / resume / promote / abort of an active experiment (operator and admin keys), each after a confirmation that
 * asks why; emits the experiment as the gateway answers it, and shows the gateway's refusal.
 */
@Component({
  selector: 'll-experiment-actions',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    @let e = experiment();
    @if (session.canChange() && active()) {
      <div class="buttons" role="group" aria-label="Experiment actions">
        @if (e.state === 'running') {
          <button mat-stroked-button type="button" [disabled]="busy()" (click)="act('pause')">Pause</button>
        } @else {
          <button mat-stroked-button type="button" [disabled]="busy()" (click)="act('resume')">Resume</button>
        }
        @if (e.kind !== 'shadow' || e.candidates.length > 0) {
          <button mat-stroked-button type="button" [disabled]="busy()" (click)="act('promote')">
            Promote {{ target() }}
          </button>
        }
        <button mat-flat-button type="button" class="danger" [disabled]="busy()" (click)="act('abort')">
          Abort
        </button>
      </div>
    }
    @if (actionError(); as err) {
      <div class="error-box" role="alert">{{ err }}</div>
    }
  `,
  styles: `
    .buttons {
      display: flex;
      gap: 8px;
      margin: 8px 0 16px;
    }
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class ExperimentActionsComponent {
  private readonly api = inject(ExperimentsData);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(SessionService);

  readonly experiment = input.required<ExperimentDto>();
  /** running or paused: the only states an action applies to */
  readonly active = input.required<boolean>();
  /** the candidate a promote serves */
  readonly target = input.required<string>();
  /** the experiment as the gateway answered an action */
  readonly changed = output<ExperimentDto>();

  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);

  protected act(action: ExperimentAction): void {
    const e = this.experiment();
    const target = this.target();
    this.actionError.set(null);
    this.dialog
      .open<ConfirmDialogComponent, ConfirmDialogData, ConfirmResult>(ConfirmDialogComponent, {
        width: '520px',
        maxWidth: '95vw',
        autoFocus: 'first-tabbable',
        data: actionConfirm(action, e, target),
      })
      .afterClosed()
      .subscribe((ok) => {
        if (!ok) return;
        this.busy.set(true);
        const body = {
          ...(ok.reason ? { reason: ok.reason } : {}),
          ...(action === 'promote' && e.candidates.length > 1 ? { version: target } : {}),
        };
        this.api.change(e.id, action, body).subscribe({
          next: (after) => {
            this.busy.set(false);
            this.changed.emit(after);
            this.snackBar.open(`Experiment on ${after.model}: ${after.state}.`, 'OK', { duration: 6000 });
          },
          error: (err: unknown) => {
            this.busy.set(false);
            this.actionError.set(err instanceof ApiError || err instanceof Error ? err.message : String(err));
          },
        });
      });
  }
}
