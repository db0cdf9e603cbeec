import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ALGORITHMS, type TrainFormErrors, type TrainFormValue } from './train-form';

/** The train form's advanced settings, folded away: algorithm, window length and top-K templates. */
@Component({
  selector: 'll-train-advanced',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    @let v = value();
    @let e = errors();
    <details class="advanced">
      <summary>Advanced</summary>
      <div class="advanced-fields">
        <mat-form-field class="algorithm" subscriptSizing="dynamic">
          <mat-label>Algorithm</mat-label>
          <mat-select [value]="v.algorithm" (selectionChange)="changed.emit({ algorithm: $event.value })">
            <mat-option value="">Default (isolation forest)</mat-option>
            @for (a of algorithms; track a.value) {
              <mat-option [value]="a.value">{{ a.label }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Window length (seconds)</mat-label>
          <input
            matInput
            inputmode="numeric"
            autocomplete="off"
            [value]="v.windowSeconds"
            (input)="changed.emit({ windowSeconds: $any($event.target).value.trim() })"
            aria-describedby="train-window-help"
          />
          <mat-hint id="train-window-help" [class.hint-error]="!!e.window">{{
            e.window ?? 'Empty: chosen from the data.'
          }}</mat-hint>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Top-K templates</mat-label>
          <input
            matInput
            inputmode="numeric"
            autocomplete="off"
            [value]="v.topK"
            (input)="changed.emit({ topK: $any($event.target).value.trim() })"
            aria-describedby="train-topk-help"
          />
          <mat-hint id="train-topk-help" [class.hint-error]="!!e.topK">{{
            e.topK ?? 'Templates with a column of their own. Empty: up to 40.'
          }}</mat-hint>
        </mat-form-field>
      </div>
    </details>
  `,
  styles: `
    :host {
      display: contents;
    }
    .advanced summary {
      cursor: pointer;
      font: var(--mat-sys-title-small);
      padding: 4px 0;
    }
    .advanced-fields {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: 8px 16px;
      padding: 8px 0;
    }
    .advanced-fields mat-form-field {
      width: 200px;
    }
    .advanced-fields mat-form-field.algorithm {
      width: 280px;
    }
  `,
})
export class TrainAdvancedComponent {
  readonly value = input.required<TrainFormValue>();
  readonly errors = input<TrainFormErrors>({});
  readonly changed = output<Partial<TrainFormValue>>();

  protected readonly algorithms = ALGORITHMS;
}
