import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { JobDto } from '@loglens/contracts';
import { formatAgo } from '../../shared/format';
import { percentOf, stageText } from './job-status.component';

/** Recent train jobs, newest first; each links to its own view (`?job=<id>`). */
@Component({
  selector: 'll-jobs-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink],
  template: `
    <div class="table-scroll">
      <table class="data-table" aria-label="Recent train jobs">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Sources</th>
            <th scope="col">State</th>
            <th scope="col">Result</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          @for (j of jobs(); track j.id) {
            <tr
              class="job-row"
              [class.selected]="j.id === selected()"
              [attr.data-job]="j.id"
              [attr.data-state]="j.state"
            >
              <th scope="row">
                <a
                  [routerLink]="[]"
                  [queryParams]="{ job: j.id }"
                  [attr.aria-current]="j.id === selected() ? 'true' : null"
                  [attr.aria-label]="'Show the job for ' + j.model + ' started ' + ago(j.createdAt)"
                  >{{ j.model }}</a
                >
              </th>
              <td>
                {{ j.params.sources.join(', ')
                }}{{ j.params.file ? ' (file ' + j.params.file.name + ')' : '' }}
              </td>
              <td>
                <span
                  class="status-chip"
                  [class.ok]="j.state === 'succeeded'"
                  [class.bad]="j.state === 'failed'"
                  >{{ j.state }}</span
                >
                @if (j.state === 'running') {
                  <span class="muted">
                    {{ stage(j) }}{{ percent(j) !== null ? ' ' + percent(j) + ' %' : '' }}</span
                  >
                }
              </td>
              <td class="result">
                @if (j.result) {
                  <code>{{ j.result.version }}</code>
                } @else if (j.error) {
                  <span class="error-text">{{ j.error.message }}</span>
                } @else {
                  <span class="muted">—</span>
                }
              </td>
              <td>
                <time [attr.datetime]="j.createdAt" [title]="j.createdAt | date: 'medium'">{{
                  ago(j.createdAt)
                }}</time>
                <div class="muted small">by {{ j.createdBy }}</div>
              </td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .job-row.selected {
      background: var(--mat-sys-secondary-container);
    }
    .result {
      max-width: 40ch;
      overflow-wrap: anywhere;
    }
    .error-text {
      color: var(--mat-sys-error);
    }
    .small {
      font-size: 0.8em;
    }
  `,
})
export class JobsTableComponent {
  readonly jobs = input.required<readonly JobDto[]>();
  readonly selected = input<string | null>(null);
  protected readonly stage = stageText;
  protected readonly percent = percentOf;

  protected ago(at: string): string {
    return formatAgo(at);
  }
}
