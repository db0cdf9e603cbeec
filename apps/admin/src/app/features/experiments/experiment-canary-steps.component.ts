import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ExperimentFormSection, FORM_SECTION_STYLES } from './experiment-form-section';

/** The create form's canary steps: the raise per check, the maximum weight, the interval and the rollback threshold. */
@Component({
  selector: 'll-experiment-canary-steps',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule],
  template: `
    @let v = value();
    @let e = errors();
    <fieldset>
      <legend>Canary steps</legend>
      <div class="row">
        <mat-form-field>
          <mat-label>Step (% points)</mat-label>
          <input
            matInput
            required
            inputmode="decimal"
            [value]="v.stepWeight"
            (input)="patch({ stepWeight: $any($event.target).value })"
          />
          @if (e['stepWeight']) {
            <mat-hint class="hint-error" role="alert">{{ e['stepWeight'] }}</mat-hint>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Maximum weight (%)</mat-label>
          <input
            matInput
            required
            inputmode="decimal"
            [value]="v.maxWeight"
            (input)="patch({ maxWeight: $any($event.target).value })"
          />
          @if (!e['maxWeight']) {
            <mat-hint>A passing check here promotes.</mat-hint>
          }
          @if (e['maxWeight']) {
            <mat-hint class="hint-error" role="alert">{{ e['maxWeight'] }}</mat-hint>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Check interval (s)</mat-label>
          <input
            matInput
            required
            inputmode="numeric"
            [value]="v.intervalSec"
            (input)="patch({ intervalSec: $any($event.target).value })"
          />
          @if (e['intervalSec']) {
            <mat-hint class="hint-error" role="alert">{{ e['intervalSec'] }}</mat-hint>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Failed checks before rollback</mat-label>
          <input
            matInput
            required
            inputmode="numeric"
            [value]="v.failureThreshold"
            (input)="patch({ failureThreshold: $any($event.target).value })"
          />
          @if (e['failureThreshold']) {
            <mat-hint class="hint-error" role="alert">{{ e['failureThreshold'] }}</mat-hint>
          }
        </mat-form-field>
      </div>
    </fieldset>
  `,
  styles: FORM_SECTION_STYLES,
})
export class ExperimentCanaryStepsComponent extends ExperimentFormSection {}
