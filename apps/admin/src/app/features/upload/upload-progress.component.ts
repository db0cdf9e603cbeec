import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { type UploadState, progressPercent, progressText } from './upload-state';

/** The upload's progress: the bytes sent, then the server's validation. Announced politely to screen readers. */
@Component({
  selector: 'll-upload-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatProgressBarModule],
  template: `
    <div class="progress" aria-live="polite">
      @switch (state().step) {
        @case ('uploading') {
          <p>Uploading… {{ text() }}</p>
          <mat-progress-bar
            [mode]="percent() === null ? 'indeterminate' : 'determinate'"
            [value]="percent() ?? 0"
            aria-label="Upload progress"
          />
        }
        @case ('validating') {
          <p>Uploaded. Validating on the server (a test inference runs in a worker)…</p>
          <mat-progress-bar mode="indeterminate" aria-label="Validating" />
        }
      }
    </div>
  `,
  styles: `
    .progress {
      max-width: 760px;
      margin: 16px 0;
    }
  `,
})
export class UploadProgressComponent {
  readonly state = input.required<UploadState>();

  protected readonly percent = computed(() => progressPercent(this.state()));
  protected readonly text = computed(() => progressText(this.state()));
}
