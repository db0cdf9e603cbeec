import { ChangeDetectionStrategy, Component, input, model, output } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { KindFilter } from './history-entry';

/** The history's filters: model, a time range, how many entries, and the kind of change. */
@Component({
  selector: 'll-history-filters',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonToggleModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    <form class="filters" aria-label="Filter the history" (submit)="$event.preventDefault()">
      <mat-form-field>
        <mat-label>Model</mat-label>
        <mat-select [value]="modelFilter()" (selectionChange)="modelFilterChange.emit($event.value)">
          <mat-option value="">All models</mat-option>
          @for (m of modelNames(); track m) {
            <mat-option [value]="m">{{ m }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>From</mat-label>
        <input
          matInput
          type="datetime-local"
          [value]="from()"
          (change)="from.set($any($event.target).value)"
        />
      </mat-form-field>
      <mat-form-field>
        <mat-label>To</mat-label>
        <input matInput type="datetime-local" [value]="to()" (change)="to.set($any($event.target).value)" />
      </mat-form-field>
      <mat-form-field class="limit">
        <mat-label>Show</mat-label>
        <mat-select [value]="limit()" (selectionChange)="limit.set($event.value)">
          @for (n of limits; track n) {
            <mat-option [value]="n">latest {{ n }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <mat-button-toggle-group
        aria-label="Kind of change"
        [value]="kind()"
        (change)="kind.set($event.value)"
        hideSingleSelectionIndicator
      >
        <mat-button-toggle value="all">All</mat-button-toggle>
        <mat-button-toggle value="serving">Serving</mat-button-toggle>
        <mat-button-toggle value="alias">Aliases</mat-button-toggle>
        <mat-button-toggle value="binding">Bindings</mat-button-toggle>
        <mat-button-toggle value="experiment">Experiments</mat-button-toggle>
      </mat-button-toggle-group>
    </form>
  `,
  styles: `
    :host {
      display: block;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0 16px;
      margin-bottom: 8px;
    }
    .filters mat-form-field {
      width: 210px;
    }
    .filters .limit {
      width: 130px;
    }
    .filters mat-button-toggle-group {
      margin-bottom: 20px;
    }
  `,
})
export class HistoryFiltersComponent {
  readonly modelNames = input<readonly string[]>([]);
  /** the model filtered on ('' for all); a pick is only reported, the page owns it (and the address) */
  readonly modelFilter = input('');
  readonly modelFilterChange = output<string>();
  /** `datetime-local` values, '' for open */
  readonly from = model('');
  readonly to = model('');
  readonly limit = model(100);
  readonly kind = model<KindFilter>('all');

  protected readonly limits = [50, 100, 500];
}
