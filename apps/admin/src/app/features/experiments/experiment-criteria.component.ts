import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { ExperimentFormErrors, ExperimentFormValue } from './experiment-form';
import { patched, type FormEdit } from './experiment-form-edits';

/** The create form's criteria: error rate, p99 and samples per check, and the optional anomaly-rate and agreement limits. */
@Component({
  selector: 'll-experiment-criteria',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule],
  template: `
    @let v = value();
    @let e = errors();
    <fieldset>
      <legend>Criteria</legend>
      <div class="row">
        <mat-form-field>
          <mat-label>Max error rate (%)</mat-label>
          <input
            matInput
            required
            inputmode="decimal"
            [value]="v.maxErrorRatePct"
            (input)="patch({ maxErrorRatePct: $any($event.target).value })"
          />
          @if (e['maxErrorRatePct']) {
            <mat-hint class="hint-error" role="alert">{{ e['maxErrorRatePct'] }}</mat-hint>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Max p99 latency (ms)</mat-label>
          <input
            matInput
            required
            inputmode="decimal"
            [value]="v.maxP99Ms"
            (input)="patch({ maxP99Ms: $any($event.target).value })"
          />
          @if (e['maxP99Ms']) {
            <mat-hint class="hint-error" role="alert">{{ e['maxP99Ms'] }}</mat-hint>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Min samples</mat-label>
          <input
            matInput
            required
            inputmode="numeric"
            [value]="v.minSamples"
            (input)="patch({ minSamples: $any($event.target).value })"
          />
          @if (!e['minSamples']) {
            <mat-hint>Candidate requests per check (and per arm before a winner).</mat-hint>
          }
          @if (e['minSamples']) {
            <mat-hint class="hint-error" role="alert">{{ e['minSamples'] }}</mat-hint>
          }
        </mat-form-field>
      </div>
      <div class="row">
        <mat-form-field>
          <mat-label>Max anomaly-rate difference (% points)</mat-label>
          <input
            matInput
            inputmode="decimal"
            placeholder="optional"
            [value]="v.maxAnomalyRateDeltaPct"
            (input)="patch({ maxAnomalyRateDeltaPct: $any($event.target).value })"
          />
          @if (e['maxAnomalyRateDeltaPct']) {
            <mat-hint class="hint-error" role="alert">{{ e['maxAnomalyRateDeltaPct'] }}</mat-hint>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Min agreement with the control (%)</mat-label>
          <input
            matInput
            inputmode="decimal"
            placeholder="optional"
            [value]="v.minAgreementPct"
            (input)="patch({ minAgreementPct: $any($event.target).value })"
          />
          @if (e['minAgreementPct']) {
            <mat-hint class="hint-error" role="alert">{{ e['minAgreementPct'] }}</mat-hint>
          }
        </mat-form-field>
      </div>
    </fieldset>
  `,
  styles: `
    fieldset {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px 16px 12px;
      margin: 8px 0;
    }
    legend {
      padding: 0 4px;
      font-weight: 600;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0 16px;
      align-items: baseline;
    }
    .row mat-form-field {
      width: 220px;
    }
    .hint-error {
      color: var(--mat-sys-error);
    }
  `,
})
export class ExperimentCriteriaComponent {
  readonly value = input.required<ExperimentFormValue>();
  /** an edit of the form's value, applied by the page to its latest value */
  readonly edit = output<FormEdit>();
  /** field errors, once the person tried to submit */
  readonly errors = input.required<ExperimentFormErrors>();

  protected patch(change: Partial<ExperimentFormValue>): void {
    this.edit.emit(patched(change));
  }
}
