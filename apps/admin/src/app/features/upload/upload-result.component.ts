import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ValidationReportComponent, refusedReport } from '../../shared/validation-report.component';
import type { UploadState } from './upload-state';

/** How an upload ended: the registered version (or the one with the same bytes) with its checks, a refusal, a failure. */
@Component({
  selector: 'll-upload-result',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ValidationReportComponent],
  template: `
    @switch (state().step) {
      @case ('done') {
        @if (doneReply(); as r) {
          <div class="result" role="status">
            @if (duplicate()) {
              <h2 class="section-title">Already registered</h2>
              <p>
                These bytes are already
                <a [routerLink]="['/models', r.duplicateOf]"
                  ><code>{{ r.duplicateOf }}</code></a
                >: no new version was made.
              </p>
            } @else {
              <h2 class="section-title">Registered {{ r.version.ref }}</h2>
              <p>
                <a class="open-version" [routerLink]="['/models', r.version.ref]">Open {{ r.version.ref }}</a>
                to deploy it, load it or point an alias at it. Status:
                <strong>{{ r.version.status }}</strong
                >.
              </p>
            }
          </div>
          @if (r.validation; as report) {
            <ll-validation-report [report]="report" label="Validation checks of the uploaded version" />
          }
        }
      }
      @case ('refused') {
        @if (refused(); as f) {
          <div class="error-box" role="alert"><strong>Refused:</strong> {{ f.message }}</div>
          @if (f.checks.length) {
            <ll-validation-report [report]="refusedReport()!" label="Validation checks of the refused file" />
          }
        }
      }
      @case ('error') {
        <div class="error-box" role="alert">Upload failed: {{ errorText() }}</div>
      }
    }
  `,
  styles: `
    .result p {
      margin-top: 0;
    }
  `,
})
export class UploadResultComponent {
  readonly state = input.required<UploadState>();

  protected readonly doneReply = computed(() => {
    const s = this.state();
    return s.step === 'done' ? s.reply : null;
  });
  protected readonly duplicate = computed(() => {
    const s = this.state();
    return s.step === 'done' && s.duplicate;
  });
  protected readonly refused = computed(() => {
    const s = this.state();
    return s.step === 'refused' ? s : null;
  });
  protected readonly refusedReport = computed(() => {
    const f = this.refused();
    return f ? refusedReport(f.checks) : null;
  });
  protected readonly errorText = computed(() => {
    const s = this.state();
    return s.step === 'error' ? s.message : '';
  });
}
