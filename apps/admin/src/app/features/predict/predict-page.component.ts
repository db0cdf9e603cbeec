import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { PredictOptions } from '@loglens/client';
import type { PredictReply } from '@loglens/contracts';
import { type Subscription, of } from 'rxjs';
import { ModelsData } from '../../core/data/models.data';
import { ApiError } from '../../core/api-error';
import { formatNumber, formatShape } from '../../shared/format';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { exampleRow, parseRows } from './parse-rows';

interface ResultRow {
  index: number;
  score: string;
  anomaly: boolean | null;
  /** every tensor output's values for this row, e.g. `label 1 · probabilities [0.1, 0.9]` */
  outputs: string;
}

/** Row `i` of every output tensor (dims [N, …]), as text. */
export function outputsOfRow(outputs: PredictReply['outputs'], i: number, rows: number): string {
  return Object.entries(outputs)
    .map(([name, t]) => {
      const per = t.dims[0] === rows && rows > 0 ? t.data.length / rows : t.data.length;
      const slice = t.dims[0] === rows ? t.data.slice(i * per, (i + 1) * per) : t.data;
      const fmt = (v: number | string | null) => (typeof v === 'number' ? formatNumber(v) : String(v));
      return `${name} ${slice.length === 1 ? fmt(slice[0]) : `[${slice.map(fmt).join(', ')}]`}`;
    })
    .join(' · ');
}

/** The select's value for "whatever version serves now". */
const SERVING = '';

@Component({
  selector: 'll-predict-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    DecimalPipe,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    LoadStateComponent,
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
            <h2 class="section-title">Results</h2>
            <p class="summary">
              Scored {{ r.scores.length }} row{{ r.scores.length === 1 ? '' : 's' }} with
              <a [routerLink]="['/models', r.modelVersion]"
                ><code>{{ r.modelVersion }}</code></a
              >
              @if (r.threshold !== null) {
                · threshold {{ formatNumber(r.threshold) }} · <strong>{{ anomalyCount() }}</strong> anomal{{
                  anomalyCount() === 1 ? 'y' : 'ies'
                }}
              } @else {
                · no threshold: scores only
              }
              <span class="muted">
                · worker {{ r.worker }} · queue {{ r.timings.queueMs | number: '1.0-2' }} ms · compute
                {{ r.timings.computeMs | number: '1.0-2' }} ms</span
              >
            </p>
            @if (results().length === 0) {
              <p class="muted">The model returned no scores.</p>
            } @else {
              <div class="table-scroll results">
                <table mat-table [dataSource]="results()" aria-label="Scores per row">
                  <ng-container matColumnDef="index">
                    <th mat-header-cell *matHeaderCellDef scope="col">Row</th>
                    <td mat-cell *matCellDef="let row">{{ row.index }}</td>
                  </ng-container>
                  <ng-container matColumnDef="score">
                    <th mat-header-cell *matHeaderCellDef scope="col">Score</th>
                    <td mat-cell *matCellDef="let row" class="num">{{ row.score }}</td>
                  </ng-container>
                  <ng-container matColumnDef="anomaly">
                    <th mat-header-cell *matHeaderCellDef scope="col">Verdict</th>
                    <td mat-cell *matCellDef="let row">
                      @if (row.anomaly === null) {
                        <span class="muted">—</span>
                      } @else {
                        <span class="status-chip" [class.bad]="row.anomaly" [class.ok]="!row.anomaly">{{
                          row.anomaly ? 'anomaly' : 'normal'
                        }}</span>
                      }
                    </td>
                  </ng-container>
                  <ng-container matColumnDef="outputs">
                    <th mat-header-cell *matHeaderCellDef scope="col">Outputs</th>
                    <td mat-cell *matCellDef="let row" class="outputs">{{ row.outputs }}</td>
                  </ng-container>
                  <tr mat-header-row *matHeaderRowDef="resultColumns"></tr>
                  <tr mat-row *matRowDef="let row; columns: resultColumns"></tr>
                </table>
              </div>
            }
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
    .outputs {
      font-size: 0.9em;
      overflow-wrap: anywhere;
    }
    .results {
      max-width: 960px;
      max-height: 480px;
      overflow-y: auto;
    }
    .num {
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class PredictPageComponent {
  private readonly api = inject(ModelsData);
  private pending?: Subscription;

  protected readonly SERVING = SERVING;
  protected readonly formatNumber = formatNumber;
  protected readonly resultColumns = ['index', 'score', 'anomaly', 'outputs'];

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
    if (!v) return null;
    const features = v.featureSchema?.features.map((f) => f.name) ?? [];
    if (features.length)
      return { label: `Features (${features.length}), in order:`, names: features.join(', ') };
    const inputs = v.signature.inputs;
    if (inputs.length > 1) {
      return {
        label: `Inputs (${inputs.length}), as fields of an object row:`,
        names: inputs.map((i) => `${i.name} (${i.elemType ?? '?'})`).join(', '),
      };
    }
    const i = inputs[0];
    return i ? { label: 'Input:', names: `${i.name} ${formatShape(i.shape)} ${i.elemType ?? ''}` } : null;
  });
  protected readonly versionInfoError = computed(() => {
    const s = this.versionInfo.state();
    return s.status === 'error' ? s.message : null;
  });

  protected readonly running = signal(false);
  protected readonly inputError = signal<string | null>(null);
  protected readonly requestError = signal<string | null>(null);
  protected readonly reply = signal<PredictReply | null>(null);
  protected readonly results = computed<ResultRow[]>(() => {
    const r = this.reply();
    if (!r) return [];
    return r.scores.map((score, i) => ({
      index: i + 1,
      score: formatNumber(score),
      anomaly: r.isAnomaly?.[i] ?? null,
      outputs: outputsOfRow(r.outputs, i, r.scores.length),
    }));
  });
  protected readonly anomalyCount = computed(() => this.reply()?.isAnomaly?.filter(Boolean).length ?? 0);

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
