import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ExperimentDto } from '@loglens/contracts/protocol';
import { weightsText } from './report-wording';
import { TABLE_STYLES } from './experiment-styles';

/** An experiment's steps, oldest first: start, raises, pauses, the end, each with who and why. */
@Component({
  selector: 'll-experiment-steps',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    <table class="steps" aria-label="Steps, oldest first">
      <thead>
        <tr>
          <th>When</th>
          <th>Action</th>
          <th>Weights after</th>
          <th>By</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        @for (s of steps(); track $index) {
          <tr>
            <td>
              <time [attr.datetime]="s.at">{{ s.at | date: 'mediumTime' }}</time>
            </td>
            <td>
              <strong>{{ s.action }}</strong>
            </td>
            <td>{{ weights(s.weights) }}</td>
            <td>{{ s.actor }}</td>
            <td>{{ s.reason }}</td>
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: TABLE_STYLES,
})
export class ExperimentStepsComponent {
  readonly steps = input.required<ExperimentDto['steps']>();

  protected readonly weights = weightsText;
}
