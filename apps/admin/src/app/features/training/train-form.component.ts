import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { DropZoneComponent } from '../../shared/drop-zone.component';
import {
  ALGORITHMS,
  EMPTY_TRAIN_FORM,
  type TrainFormValue,
  type TrainInput,
  checkTrainForm,
  sourcesOf,
} from './train-form';

/** A checked request the page can send. */
export type TrainSubmit = Extract<ReturnType<typeof checkTrainForm>, { ok: true }>;

/**
 * The "what to learn from" form: model name, sources (known ones to tick, others to type), a time range of the LOGS
 * stream or an uploaded log file, advanced settings, and what to do with the result. Emits a checked request.
 */
@Component({
  selector: 'll-train-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatButtonToggleModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    DropZoneComponent,
  ],
  template: `
    @let v = value();
    @let e = errors();
    <!-- novalidate: our own messages explain each missing piece, including the file the browser cannot check -->
    <form class="form" novalidate aria-label="Train a model" (submit)="$event.preventDefault(); submit()">
      <mat-form-field class="name">
        <mat-label>Model name</mat-label>
        <input
          matInput
          required
          autocomplete="off"
          spellcheck="false"
          list="train-known-models"
          [value]="v.model"
          (input)="patch({ model: $any($event.target).value.trim() })"
          aria-describedby="train-model-help"
        />
        <datalist id="train-known-models">
          @for (m of models(); track m) {
            <option [value]="m"></option>
          }
        </datalist>
        <mat-hint
          id="train-model-help"
          [class.hint-error]="!!e.model"
          [attr.role]="e.model ? 'alert' : null"
          >{{ e.model ?? modelHint() }}</mat-hint
        >
      </mat-form-field>

      <mat-button-toggle-group
        class="input-toggle"
        aria-label="What to learn from"
        [value]="v.input"
        (change)="patch({ input: $any($event.value) })"
        hideSingleSelectionIndicator
      >
        <mat-button-toggle value="stream">Logs in the stream</mat-button-toggle>
        <mat-button-toggle value="file">A log file</mat-button-toggle>
      </mat-button-toggle-group>

      <fieldset class="sources">
        <legend>
          {{ v.input === 'file' ? 'Source the file’s lines come from' : 'Sources to learn from' }}
        </legend>
        @if (sources().length > 0) {
          <div class="known" role="group" aria-label="Known sources">
            @for (s of sources(); track s) {
              <mat-checkbox [checked]="v.picked.includes(s)" (change)="toggleSource(s, $event.checked)">{{
                s
              }}</mat-checkbox>
            }
          </div>
        }
        <mat-form-field class="typed">
          <mat-label>{{ sources().length ? 'Other sources' : 'Sources' }}</mat-label>
          <input
            matInput
            autocomplete="off"
            spellcheck="false"
            [value]="v.typed"
            (input)="patch({ typed: $any($event.target).value })"
            aria-describedby="train-sources-help"
          />
          <mat-hint
            id="train-sources-help"
            [class.hint-error]="!!e.sources"
            [attr.role]="e.sources ? 'alert' : null"
            >{{ e.sources ?? sourcesHint() }}</mat-hint
          >
        </mat-form-field>
      </fieldset>

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
              (change)="patch({ from: $any($event.target).value })"
            />
          </mat-form-field>
          <mat-form-field>
            <mat-label>To</mat-label>
            <input
              matInput
              type="datetime-local"
              [value]="v.to"
              (change)="patch({ to: $any($event.target).value })"
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
          (fileChange)="patch({ file: $event })"
        />
        @if (e.file) {
          <div class="field-error" role="alert">{{ e.file }}</div>
        }
      }

      <details class="advanced">
        <summary>Advanced</summary>
        <div class="advanced-fields">
          <mat-form-field class="algorithm" subscriptSizing="dynamic">
            <mat-label>Algorithm</mat-label>
            <mat-select [value]="v.algorithm" (selectionChange)="patch({ algorithm: $event.value })">
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
              (input)="patch({ windowSeconds: $any($event.target).value.trim() })"
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
              (input)="patch({ topK: $any($event.target).value.trim() })"
              aria-describedby="train-topk-help"
            />
            <mat-hint id="train-topk-help" [class.hint-error]="!!e.topK">{{
              e.topK ?? 'Templates with a column of their own. Empty: up to 40.'
            }}</mat-hint>
          </mat-form-field>
        </div>
      </details>

      <div class="then">
        <mat-slide-toggle [checked]="v.deploy" (change)="patch({ deploy: $event.checked })"
          >Deploy the version once it is validated</mat-slide-toggle
        >
        <mat-slide-toggle
          [checked]="v.deploy && v.bind"
          [disabled]="!v.deploy"
          (change)="patch({ bind: $event.checked })"
          >Then bind the sources to the model</mat-slide-toggle
        >
      </div>

      <div class="submit-row">
        <button mat-flat-button type="submit" [disabled]="busy()">Start training</button>
      </div>
    </form>
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      gap: 12px;
      max-width: 760px;
    }
    .name {
      max-width: 360px;
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
    .known {
      display: flex;
      flex-wrap: wrap;
      gap: 0 12px;
    }
    .typed {
      width: 100%;
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
    .advanced summary {
      cursor: pointer;
      font: var(--mat-sys-title-small);
      padding: 4px 0;
    }
    .input-toggle {
      align-self: flex-start;
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
    .then {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .submit-row {
      margin-top: 8px;
    }
  `,
})
export class TrainFormComponent {
  /** existing model names (a new name creates the model) */
  readonly models = input<readonly string[]>([]);
  /** sources to offer as ticks */
  readonly sources = input<readonly string[]>([]);
  readonly busy = input(false);
  readonly submitted = output<TrainSubmit>();

  protected readonly algorithms = ALGORITHMS;
  protected readonly value = signal<TrainFormValue>(EMPTY_TRAIN_FORM);
  private readonly touched = signal(false);
  private readonly check = computed(() => checkTrainForm(this.value()));
  /** field errors, once the person tried to submit */
  protected readonly errors = computed(() => {
    const c = this.check();
    return this.touched() && !c.ok ? c.errors : {};
  });
  protected readonly modelHint = computed(() => {
    const name = this.value().model;
    if (!name) return 'An existing model gets a new version; a new name creates the model.';
    return this.models().includes(name) ? `A new version of ${name}.` : `Creates the model ${name}.`;
  });
  protected readonly sourcesHint = computed(() => {
    const all = sourcesOf(this.value());
    const input: TrainInput = this.value().input;
    if (all.length) return `Training on ${all.join(', ')}.`;
    return input === 'file'
      ? 'The name the file’s lines belong to (logs.generic.<source>): the one to bind the model to.'
      : 'Comma-separated, e.g. myapp, billing-api (logs.generic.<source> / logs.wifi.<site>).';
  });

  protected patch(change: Partial<TrainFormValue>): void {
    this.value.update((v) => ({ ...v, ...change }));
  }

  protected toggleSource(source: string, on: boolean): void {
    this.value.update((v) => ({
      ...v,
      picked: on ? [...v.picked.filter((s) => s !== source), source] : v.picked.filter((s) => s !== source),
    }));
  }

  protected submit(): void {
    this.touched.set(true);
    const c = this.check();
    if (c.ok && !this.busy()) this.submitted.emit(c);
  }
}
