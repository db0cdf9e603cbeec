import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ExperimentDto } from '@loglens/contracts/protocol';
import { criteriaText } from './experiment-detail';
import { KIND_LABELS, STICKINESS_LABELS } from './experiments.model';
import { armsText } from './report-wording';
import { FACTS_STYLES } from './experiment-styles';

/** An experiment's settings: kind, state, arms, stickiness, the canary's steps or the shadow's share, criteria, dates. */
@Component({
  selector: 'll-experiment-facts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    @let e = experiment();
    <dl class="facts" aria-label="The experiment">
      <div>
        <dt>Kind</dt>
        <dd>{{ kinds[e.kind] }}</dd>
      </div>
      <div>
        <dt>State</dt>
        <dd>
          <span class="state" [class]="'state state-' + e.state" data-testid="experiment-state">{{
            e.state
          }}</span>
          @if (e.failedChecks > 0) {
            <span class="muted">
              · {{ e.failedChecks }} failed check{{ e.failedChecks === 1 ? '' : 's' }}</span
            >
          }
        </dd>
      </div>
      <div>
        <dt>Arms</dt>
        <dd>{{ arms(e) }}</dd>
      </div>
      <div>
        <dt>Sticky by</dt>
        <dd>{{ e.stickiness ? stickiness[e.stickiness.key] : 'nothing (a draw per request)' }}</dd>
      </div>
      @if (e.canary; as c) {
        <div>
          <dt>Canary</dt>
          <dd>
            +{{ c.stepWeight }} points every {{ c.intervalSec }} s up to {{ c.maxWeight }} %, rolled back
            after {{ c.failureThreshold }} failed check{{ c.failureThreshold === 1 ? '' : 's' }}
          </dd>
        </div>
      }
      @if (e.shadow; as s) {
        <div>
          <dt>Shadow</dt>
          <dd>{{ s.percent }} % of the requests</dd>
        </div>
      }
      <div>
        <dt>Criteria</dt>
        <dd>{{ criteria(e) }}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{{ e.createdAt | date: 'medium' }} by {{ e.createdBy }}</dd>
      </div>
      @if (e.endedAt) {
        <div>
          <dt>Ended</dt>
          <dd>{{ e.endedAt | date: 'medium' }}</dd>
        </div>
      }
    </dl>
  `,
  styles: [
    FACTS_STYLES,
    `
      .state {
        font-weight: 600;
      }
      .state-running {
        color: var(--mat-sys-primary);
      }
      .state-rolled-back,
      .state-aborted {
        color: var(--mat-sys-error);
      }
    `,
  ],
})
export class ExperimentFactsComponent {
  readonly experiment = input.required<ExperimentDto>();

  protected readonly kinds = KIND_LABELS;
  protected readonly stickiness = STICKINESS_LABELS;
  protected readonly arms = armsText;
  protected readonly criteria = criteriaText;
}
