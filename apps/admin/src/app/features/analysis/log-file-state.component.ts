import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { formatBytes } from '../../shared/format';
import type { FileState } from './analyze-input';
import { formatCount } from './log-input';

/** Under the drop zone: the file being read, how many lines it holds and what will be sent, or why it cannot be. */
@Component({
  selector: 'll-log-file-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let fs = state();
    <div class="file-state" aria-live="polite">
      @switch (fs.status) {
        @case ('reading') {
          <span class="muted">Reading {{ fs.name }}…</span>
        }
        @case ('ready') {
          <span
            >{{ fs.name }}: <strong>{{ count(fs.input.records.length) }}</strong> log line{{
              fs.input.records.length === 1 ? '' : 's'
            }}
            ready ({{ bytes(fs.input.bodyBytes) }} to send{{
              fs.input.blankLines ? ', ' + fs.input.blankLines + ' blank skipped' : ''
            }}).</span
          >
        }
        @case ('error') {
          <div class="error-box" role="alert">{{ fs.message }}</div>
        }
        @case ('none') {}
      }
    </div>
  `,
  styles: `
    :host {
      display: block;
      width: 100%;
    }
  `,
})
export class LogFileStateComponent {
  readonly state = input.required<FileState>();

  protected readonly count = formatCount;
  protected readonly bytes = formatBytes;
}
