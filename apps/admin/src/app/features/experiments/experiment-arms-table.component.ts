import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ArmSummary } from './experiments.model';
import { pct } from './report-wording';
import { TABLE_STYLES } from './experiment-styles';

/** The report's figures per arm, the control first; a shadow experiment adds its failed and dropped copies. */
@Component({
  selector: 'll-experiment-arms-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  template: `
    <table class="arms" aria-label="Per arm">
      <thead>
        <tr>
          <th>Arm</th>
          <th>Requests</th>
          <th>Errors</th>
          <th>p50</th>
          <th>p99</th>
          <th>Windows scored</th>
          <th>Anomalies</th>
          <th>Mean score</th>
          @if (shadow()) {
            <th>Shadow failures</th>
            <th>Shadow copies dropped</th>
          }
        </tr>
      </thead>
      <tbody>
        @for (a of arms(); track a.version; let first = $first) {
          <tr>
            <th scope="row">
              {{ a.version }} <span class="muted">{{ first ? 'control' : 'candidate' }}</span>
            </th>
            <td>{{ a.requests | number }}</td>
            <td>
              {{ a.errors | number }} <span class="muted">({{ pct(a.errorRate) }})</span>
            </td>
            <td>{{ a.p50Ms | number: '1.0-1' }} ms</td>
            <td>{{ a.p99Ms | number: '1.0-1' }} ms</td>
            <td>{{ a.rows | number }}</td>
            <td>
              {{ a.anomalies | number }} <span class="muted">({{ pct(a.anomalyRate) }})</span>
            </td>
            <td>{{ a.meanScore | number: '1.3-3' }}</td>
            @if (shadow()) {
              <td>{{ a.shadowErrors | number }}</td>
              <td>
                {{ a.shadowDropped | number }}
                @if (!first && a.shadowDropped > 0) {
                  <span class="muted">(queue full: the shadow version scored fewer copies than sent)</span>
                }
              </td>
            }
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: TABLE_STYLES,
})
export class ExperimentArmsTableComponent {
  readonly arms = input.required<ArmSummary[]>();
  /** a shadow experiment: show the shadow columns */
  readonly shadow = input(false);

  protected readonly pct = pct;
}
