import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { DropZoneComponent } from '../../shared/drop-zone.component';
import type { TrainFormErrors, TrainFormValue } from './train-form';

/**
 * What the train form learns from: an optional stretch of the LOGS stream (from/to), or the log file to upload.
 * Reports each edit as a change to the form's value.
 */
@Component({
  selector: 'll-train-data-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, DropZoneComponent],
  template: `
    @let v = value();
    @let e = errors();
    @if (v.input === 'stream') {
      <fieldset class="range">
        <legend>Training stretch (optional: default all the stream keeps)</legend>
        <p class="muted range-help">
          When the lines reached the LOGS stream, in your time zone; windows are still cut by the lines' own
          timestamps.
        </p>
        <mat-form-field>
          <mat-label>From</mat-label>
          <input
            matInput
            type="datetime-local"
            [value]="v.from"
            (change)="changed.emit({ from: $any($event.target).value })"
          />
        </mat-form-field>
        <mat-form-field>
          <mat-label>To</mat-label>
          <input
            matInput
            type="datetime-local"
            [value]="v.to"
            (change)="changed.emit({ to: $any($event.target).value })"
          />
        </mat-form-field>
        @if (e.range) {
          <div class="field-error" role="alert">{{ e.range }}</div>
        }
      </fieldset>
    } @else {
      <ll-drop-zone
        label="Log file"
        hint="Plain log lines or NDJSON objects {message, timestamp?} (max 100 MiB). A stretch assumed mostly normal."
        accept=".log,.txt,.ndjson,.jsonl,.json,text/plain"
        [required]="true"
        [file]="v.file"
        (fileChange)="changed.emit({ file: $event })"
      />
      @if (e.file) {
        <div class="field-error" role="alert">{{ e.file }}</div>
      }
    }
  `,
  styles: `
    /* the fieldset or the drop zone lays out as an item of the form itself */
    :host {
      display: contents;
    }
    fieldset {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px 16px 4px;
      margin: 0;
      min-width: 0;
    }
    legend {
      padding: 0 4px;
      font: var(--mat-sys-title-small);
    }
    .range {
      display: flex;
      flex-wrap: wrap;
      gap: 0 16px;
    }
    .range-help {
      flex-basis: 100%;
      margin: 0 0 8px;
    }
    .range mat-form-field {
      width: 260px;
    }
    .field-error {
      color: var(--mat-sys-error);
      flex-basis: 100%;
    }
  `,
})
export class TrainDataSectionComponent {
  readonly value = input.required<TrainFormValue>();
  readonly errors = input<TrainFormErrors>({});
  readonly changed = output<Partial<TrainFormValue>>();
}
