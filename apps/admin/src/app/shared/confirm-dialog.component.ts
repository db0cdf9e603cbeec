import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

/** One line of "what will change": `label: from → to`. */
export interface ConfirmChange {
  label: string;
  from: string | null;
  to: string | null;
}

export interface ConfirmDialogData {
  title: string;
  /** the question, one sentence */
  question: string;
  changes?: ConfirmChange[];
  /** consequences worth knowing before saying yes */
  notes?: string[];
  confirmLabel: string;
  /** offer a "why" field whose text goes to the transfer history */
  askReason?: boolean;
  /** for changes that cannot be undone from the console (archive, delete alias) */
  destructive?: boolean;
}

export interface ConfirmResult {
  reason: string;
}

/**
 * The confirm step every change goes through: it says what will change (from → to) and, where the history keeps
 * one, asks why. Closes with a ConfirmResult to go ahead, or undefined.
 */
@Component({
  selector: 'll-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p class="question">{{ data.question }}</p>
      @if (data.changes?.length) {
        <dl class="changes" aria-label="What will change">
          @for (c of data.changes; track c.label) {
            <div class="change">
              <dt>{{ c.label }}</dt>
              <dd>
                <code class="from">{{ c.from ?? 'nothing' }}</code>
                <span> → </span>
                <code class="to">{{ c.to ?? 'nothing' }}</code>
              </dd>
            </div>
          }
        </dl>
      }
      @for (n of data.notes ?? []; track n) {
        <p class="note">{{ n }}</p>
      }
      @if (data.askReason) {
        <mat-form-field class="reason">
          <mat-label>Why (kept in the transfer history)</mat-label>
          <input
            matInput
            maxlength="1000"
            autocomplete="off"
            [value]="reason()"
            (input)="reason.set($any($event.target).value)"
            (keydown.enter)="$event.preventDefault(); confirm()"
          />
        </mat-form-field>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <!-- focus starts on Cancel: Enter right after opening must not change production -->
      <button mat-button type="button" [mat-dialog-close]="undefined" cdkFocusInitial>Cancel</button>
      <button mat-flat-button type="button" [class.destructive]="data.destructive" (click)="confirm()">
        {{ data.confirmLabel }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .question {
      margin-top: 0;
    }
    .changes {
      margin: 0 0 12px;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container);
    }
    .change {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      padding: 2px 0;
    }
    .change dt {
      font-weight: 600;
      min-width: 7em;
    }
    .change dd {
      margin: 0;
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
    .reason {
      width: 100%;
    }
    .destructive {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
})
export class ConfirmDialogComponent {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ConfirmDialogComponent, ConfirmResult>>(MatDialogRef);
  protected readonly reason = signal('');

  protected confirm(): void {
    this.ref.close({ reason: this.reason().trim() });
  }
}
