import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import {
  EMPTY_TRAIN_FORM,
  type TrainFormValue,
  checkTrainForm,
  modelHint,
  sourcesHint,
  withSource,
} from './train-form';
import { TrainAdvancedComponent } from './train-advanced.component';
import { TrainDataSectionComponent } from './train-data-section.component';

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
    MatSlideToggleModule,
    TrainDataSectionComponent,
    TrainAdvancedComponent,
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

      <ll-train-data-section [value]="v" [errors]="e" (changed)="patch($event)" />

      <ll-train-advanced [value]="v" [errors]="e" (changed)="patch($event)" />

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
    .input-toggle {
      align-self: flex-start;
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

  protected readonly value = signal<TrainFormValue>(EMPTY_TRAIN_FORM);
  private readonly touched = signal(false);
  private readonly check = computed(() => checkTrainForm(this.value()));
  /** field errors, once the person tried to submit */
  protected readonly errors = computed(() => {
    const c = this.check();
    return this.touched() && !c.ok ? c.errors : {};
  });
  protected readonly modelHint = computed(() => modelHint(this.value().model, this.models()));
  protected readonly sourcesHint = computed(() => sourcesHint(this.value()));

  protected patch(change: Partial<TrainFormValue>): void {
    this.value.update((v) => ({ ...v, ...change }));
  }

  protected toggleSource(source: string, on: boolean): void {
    this.value.update((v) => ({ ...v, picked: withSource(v.picked, source, on) }));
  }

  protected submit(): void {
    this.touched.set(true);
    const c = this.check();
    if (c.ok && !this.busy()) this.submitted.emit(c);
  }
}
