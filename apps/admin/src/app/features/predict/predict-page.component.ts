import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { PredictOptions } from '@loglens/client';
import type { PredictReply } from '@loglens/contracts';
import { type Subscription, of } from 'rxjs';
import { ModelsData } from '../../core/data/models.data';
import { ApiError } from '../../core/api-error';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { exampleRow, parseRows } from './parse-rows';
import { expectsOf } from './predict-result';
import { PredictResultComponent } from './predict-result.component';

/** The select's value for "whatever version serves now". */
const SERVING = '';

@Component({
  selector: 'll-predict-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    LoadStateComponent,
    PredictResultComponent,
  ],
  template: `
    <section class="page" aria-labelledby="predict-title">
      <header class="page-header"><h1 id="predict-title">Predict</h1></header>

      <ll-load-state
        [state]="models.state()"
        [empty]="modelList().length === 0"
        loadingText="Loading models…"
        failedText="Could not load the models to choose from."
        emptyText="No models are registered yet, so there is nothing to score with."
        (retry)="models.reload()"
      />

      @if (modelList().length > 0) {
        <form class="form" (submit)="$event.preventDefault(); submit()">
          <div class="selects">
            <mat-form-field>
              <mat-label>Model</mat-label>
              <mat-select [value]="model()" (selectionChange)="selectModel($event.value)" required>
                @for (m of modelList(); track m.name) {
                  <mat-option [value]="m.name">
                    {{ m.name }}{{ m.servingVersion ? '' : ' (nothing serving)' }}
                  </mat-option>
                }
              </mat-select>
              <mat-hint>{{ selectedModel()?.task }}</mat-hint>
            </mat-form-field>
            <mat-form-field>
              <mat-label>Version</mat-label>
              <mat-select
                [value]="version()"
                (selectionChange)="version.set($event.value)"
                [disabled]="!model()"
              >
                <mat-option [value]="SERVING">
                  Serving version{{
                    selectedModel()?.servingVersion ? ' (' + selectedModel()?.servingVersion + ')' : ''
                  }}
                </mat-option>
                @for (v of versionChoices(); track v.ref) {
                  <mat-option [value]="v.ref">{{ v.ref }} · {{ v.status }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
          </div>

          @if (expects(); as e) {
            <p class="features">
              <span class="muted">{{ e.label }}</span>
              <code>{{ e.names }}</code>
              <button mat-button type="button" (click)="fillExample()">Insert an example row</button>
            </p>
          } @else if (versionInfo.state().status === 'error' && model()) {
            <p class="muted">Could not read the version's inputs: {{ versionInfoError() }}</p>
          }

          <mat-form-field class="rows-field">
            <mat-label>Rows (JSON)</mat-label>
            <textarea
              matInput
              class="mono"
              rows="8"
              spellcheck="false"
              [value]="rowsText()"
              (input)="onRowsInput($event)"
              (keydown.control.enter)="submit()"
              (keydown.meta.enter)="submit()"
              aria-describedby="rows-help"
              placeholder="[[0.1, 2, 0], [3, 0.5, 1]]"
            ></textarea>
            <mat-hint id="rows-help"
              >An array of rows: each an array of numbers in feature order, or an object of feature/input name
              → value (numbers, strings, true/false, null). Ctrl+Enter scores.</mat-hint
            >
          </mat-form-field>

          @if (inputError()) {
            <div class="message error" role="alert">{{ inputError() }}</div>
          }

          <div class="actions">
            <button mat-flat-button type="submit" [disabled]="running() || !model()">
              {{ running() ? 'Scoring…' : 'Score rows' }}
            </button>
            @if (!model()) {
              <span class="muted">Pick a model first.</span>
            }
          </div>
        </form>

        <div aria-live="polite">
          @if (requestError()) {
            <div class="message error" role="alert">{{ requestError() }}</div>
          }
          @if (reply(); as r) {
            <ll-predict-result [reply]="r" />
          }
        </div>
      }
    </section>
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .selects {
      display: flex;
      flex-wrap: wrap;
      gap: 0 16px;
    }
    .selects mat-form-field {
      flex: 1 1 260px;
      max-width: 420px;
    }
    .rows-field {
      width: 100%;
    }
    .features {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 8px;
      margin: 0 0 8px;
    }
    .features code {
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      align-items: center;
      gap: 12px;
      margin-top: 12px;
    }
    .message.error {
      padding: 12px 16px;
      border-radius: 8px;
      margin-top: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
})
export class PredictPageComponent {
  private readonly api = inject(ModelsData);
  private pending?: Subscription;

  protected readonly SERVING = SERVING;

  protected readonly models = createLoader(() => this.api.list());
  protected readonly modelList = computed(() => this.models.value()?.models ?? []);

  protected readonly model = signal<string | null>(null);
  protected readonly version = signal<string>(SERVING);
  protected readonly rowsText = signal('');
  protected readonly selectedModel = computed(
    () => this.modelList().find((m) => m.name === this.model()) ?? null,
  );
  protected readonly versionChoices = computed(() =>
    [...(this.selectedModel()?.versions ?? [])]
      .filter((v) => v.status !== 'invalid')
      .sort((a, b) => b.version - a.version),
  );

  /** the chosen version's details, for its feature names */
  protected readonly versionInfo = createLoader(
    (ref: string | null) => (ref ? this.api.version(ref) : of(null)),
    () => this.version() || this.model(),
  );
  /** what the chosen version reads, for the hint above the rows field */
  protected readonly expects = computed(() => {
    const v = this.versionInfo.value();
    return v ? expectsOf(v) : null;
  });
  protected readonly versionInfoError = computed(() => {
    const s = this.versionInfo.state();
    return s.status === 'error' ? s.message : null;
  });

  protected readonly running = signal(false);
  protected readonly inputError = signal<string | null>(null);
  protected readonly requestError = signal<string | null>(null);
  protected readonly reply = signal<PredictReply | null>(null);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.pending?.unsubscribe());
  }

  protected selectModel(name: string): void {
    this.model.set(name);
    this.version.set(SERVING);
  }

  protected onRowsInput(event: Event): void {
    this.rowsText.set((event.target as HTMLTextAreaElement).value);
    this.inputError.set(null);
  }

  protected fillExample(): void {
    const v = this.versionInfo.value();
    if (!v) return;
    this.rowsText.set(JSON.stringify([exampleRow(v)]));
    this.inputError.set(null);
  }

  protected submit(): void {
    const model = this.model();
    if (!model || this.running()) return;
    const parsed = parseRows(this.rowsText());
    if (!parsed.ok) {
      this.inputError.set(parsed.error);
      return;
    }
    this.inputError.set(null);
    this.requestError.set(null);
    this.running.set(true);
    const version = this.version();
    const body: PredictOptions = version ? { version, rows: parsed.rows } : { model, rows: parsed.rows };
    this.pending?.unsubscribe();
    this.pending = this.api.predict(body).subscribe({
      next: (reply) => {
        this.running.set(false);
        this.reply.set(reply);
      },
      error: (err: unknown) => {
        this.running.set(false);
        this.reply.set(null);
        this.requestError.set(err instanceof ApiError ? err.message : String(err));
      },
    });
  }
}
