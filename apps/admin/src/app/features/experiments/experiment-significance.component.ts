import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ExperimentReport } from './experiments.model';
import {
  agreementText,
  failedText,
  latencyVerdict,
  pct,
  proportionVerdict,
  recommendationText,
} from './report-wording';
import { FACTS_STYLES } from './experiment-styles';

/**
 * The report's significance tests, one section per candidate against the control, worded for an operator, then the
 * recommendation and the method.
 */
@Component({
  selector: 'll-experiment-significance',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = report();
    @for (c of r.comparisons; track c.version) {
      <section class="comparison" [attr.aria-label]="'Significance: ' + c.version + ' against ' + control()">
        <h3>{{ c.version }} against {{ control() }}</h3>
        <dl class="facts">
          <div>
            <dt>Anomaly rate</dt>
            <dd>
              {{ pct(c.anomalyRate.rateB) }} vs {{ pct(c.anomalyRate.rateA) }} —
              {{ proportion('anomaly rate', c.anomalyRate, r.alpha) }}
            </dd>
          </div>
          <div>
            <dt>Error rate</dt>
            <dd>
              {{ pct(c.errorRate.rateB) }} vs {{ pct(c.errorRate.rateA) }} —
              {{ proportion('error rate', c.errorRate, r.alpha) }}
            </dd>
          </div>
          <div>
            <dt>Latency</dt>
            <dd>{{ latency(c.latency, r.alpha) }}</dd>
          </div>
          @if (agreement(c); as a) {
            <div>
              <dt>Agreement</dt>
              <dd>{{ a }}</dd>
            </div>
          }
          <div>
            <dt>Criteria</dt>
            <dd>
              @if (c.failed.length === 0) {
                holds every criterion over the whole run
              } @else {
                fails: {{ failedList(c.failed) }}
              }
            </dd>
          </div>
        </dl>
      </section>
    }
    <p class="recommendation" role="status">
      <strong>{{ recommendation(r) }}</strong>
    </p>
    <p class="muted method">
      Tests: {{ r.method }}; α = {{ r.alpha }}. “Not significant yet” reads the always-valid p-value, which
      stays valid however often this page is refreshed.
    </p>
  `,
  styles: [
    FACTS_STYLES,
    `
      .comparison h3 {
        margin: 16px 0 4px;
      }
      .recommendation {
        margin-top: 12px;
      }
    `,
  ],
})
export class ExperimentSignificanceComponent {
  readonly report = input.required<ExperimentReport>();
  /** the control version the candidates are compared against */
  readonly control = input.required<string>();

  protected readonly pct = pct;
  protected readonly proportion = proportionVerdict;
  protected readonly latency = latencyVerdict;
  protected readonly agreement = agreementText;
  protected readonly failedList = (f: ExperimentReport['comparisons'][number]['failed']) =>
    f.map(failedText).join('; ');
  protected readonly recommendation = (r: ExperimentReport) =>
    recommendationText(r.recommendation, r.experiment.control);
}
