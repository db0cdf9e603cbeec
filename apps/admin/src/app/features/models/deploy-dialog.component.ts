import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';

export interface DeployDialogData {
  model: string;
  /** the version to serve */
  to: string;
  /** the version serving now, if any */
  from: string | null;
}

/** Asks before a deploy; closes with `true` to go ahead. */
@Component({
  selector: 'll-deploy-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title>Deploy {{ data.to }}?</h2>
    <mat-dialog-content>
      @if (data.from) {
        <p class="question">
          Serve <code>{{ data.to }}</code> instead of <code>{{ data.from }}</code
          >?
        </p>
      } @else {
        <p class="question">
          Serve <code>{{ data.to }}</code
          >? No version of {{ data.model }} is serving now.
        </p>
      }
      <p>
        Every inference worker switches to it; predictions for <strong>{{ data.model }}</strong> use it from
        then on.
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <!-- focus starts on Cancel: Enter right after opening must not switch production traffic -->
      <button mat-button type="button" [mat-dialog-close]="false" cdkFocusInitial>Cancel</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true">Deploy</button>
    </mat-dialog-actions>
  `,
})
export class DeployDialogComponent {
  protected readonly data = inject<DeployDialogData>(MAT_DIALOG_DATA);
}
