import {
  ChangeDetectionStrategy,
  Component,
  computed,
  input,
  linkedSignal,
  model,
  output,
} from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import type { AgentKind } from '@loglens/contracts';
import { SOURCE_NAME } from './results-filters';

/** One filter the person changed; the page applies it and keeps it in the address. */
export type ResultsFilterChange =
  | { source: string }
  | { agent: AgentKind | '' }
  | { anomalous: boolean }
  | { from: string }
  | { to: string };

/**
 * The stored results' filters: source (typed, checked, applied on Enter or leaving the field), agent, time range,
 * how many, and the two toggles. The limit and the ordering are the page's own; the rest is reported as a change.
 */
@Component({
  selector: 'll-results-filter-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, MatSelectModule, MatSlideToggleModule],
  template: `
    <form class="filters" aria-label="Filter the results" (submit)="$event.preventDefault(); applySource()">
      <mat-form-field>
        <mat-label>Source</mat-label>
        <input
          matInput
          autocomplete="off"
          maxlength="64"
          list="results-sources"
          [value]="sourceDraft()"
          (input)="sourceDraft.set($any($event.target).value.trim())"
          (change)="applySource()"
          aria-describedby="results-source-help"
        />
        <datalist id="results-sources">
          @for (s of knownSources(); track s) {
            <option [value]="s"></option>
          }
        </datalist>
        <mat-hint id="results-source-help" [class.hint-error]="sourceInvalid()">{{
          sourceInvalid() ? 'Letters, digits, _ and - only' : 'Empty: all sources'
        }}</mat-hint>
      </mat-form-field>
      <mat-form-field class="narrow">
        <mat-label>Agent</mat-label>
        <mat-select [value]="agent()" (selectionChange)="changed.emit({ agent: $event.value })">
          <mat-option value="">All agents</mat-option>
          <mat-option value="wifi">wifi</mat-option>
          <mat-option value="base">base</mat-option>
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>From</mat-label>
        <input
          matInput
          type="datetime-local"
          [value]="from()"
          (change)="changed.emit({ from: $any($event.target).value })"
        />
      </mat-form-field>
      <mat-form-field>
        <mat-label>To</mat-label>
        <input
          matInput
          type="datetime-local"
          [value]="to()"
          (change)="changed.emit({ to: $any($event.target).value })"
        />
      </mat-form-field>
      <mat-form-field class="narrow">
        <mat-label>Show</mat-label>
        <mat-select [value]="limit()" (selectionChange)="limit.set($event.value)">
          @for (n of limits; track n) {
            <mat-option [value]="n">latest {{ n }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <div class="toggles">
        <mat-slide-toggle [checked]="anomalousOnly()" (change)="changed.emit({ anomalous: $event.checked })"
          >Anomalous only</mat-slide-toggle
        >
        <mat-slide-toggle [checked]="anomaliesFirst()" (change)="anomaliesFirst.set($event.checked)"
          >Anomalous first</mat-slide-toggle
        >
      </div>
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
    .filters .narrow {
      width: 140px;
    }
    .toggles {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 20px;
      margin: 8px 0 20px;
    }
  `,
})
export class ResultsFilterBarComponent {
  /** sources to suggest */
  readonly knownSources = input<readonly string[]>([]);
  readonly source = input('');
  readonly agent = input<AgentKind | ''>('');
  readonly anomalousOnly = input(false);
  /** `datetime-local` values, '' for open */
  readonly from = input('');
  readonly to = input('');
  readonly limit = model(100);
  readonly anomaliesFirst = model(false);
  readonly changed = output<ResultsFilterChange>();

  protected readonly limits = [100, 500, 1000];
  protected readonly sourceDraft = linkedSignal(() => this.source());
  protected readonly sourceInvalid = computed(
    () => this.sourceDraft() !== '' && !SOURCE_NAME.test(this.sourceDraft()),
  );

  protected applySource(): void {
    if (this.sourceInvalid()) return;
    this.changed.emit({ source: this.sourceDraft() });
  }
}
