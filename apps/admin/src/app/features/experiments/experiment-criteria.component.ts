import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ExperimentFormSection, FORM_SECTION_STYLES } from './experiment-form-section';

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
  styles: FORM_SECTION_STYLES,
})
export class ExperimentCriteriaComponent extends ExperimentFormSection {}
