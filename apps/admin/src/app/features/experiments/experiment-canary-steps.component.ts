import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { ExperimentFormErrors, ExperimentFormValue } from './experiment-form';
import { patched, type FormEdit } from './experiment-form-edits';

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
export class ExperimentCanaryStepsComponent {
  readonly value = input.required<ExperimentFormValue>();
  /** an edit of the form's value, applied by the page to its latest value */
  readonly edit = output<FormEdit>();
  /** field errors, once the person tried to submit */
  readonly errors = input.required<ExperimentFormErrors>();

  protected patch(change: Partial<ExperimentFormValue>): void {
    this.edit.emit(patched(change));
  }
}
