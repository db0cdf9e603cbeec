import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { SOURCE_NAME_PATTERN } from '@loglens/contracts/protocol';

export interface BindSourceDialogData {
  /** the source to re-bind; null: the person names it */
  source: string | null;
  /** models that can be bound, with what serves now (a model serving nothing scores nothing) */
  models: ReadonlyArray<{ name: string; serving: string | null }>;
  /** source → model bound now */
  bound: Record<string, string>;
  /** sources to suggest when naming one */
  sources: readonly string[];
}

export interface BindSourceDialogResult {
  source: string;
  model: string;
  reason: string;
}

/** Binds a source to a model: pick both, see what the source is scored by now and will be, say why. */
@Component({
  selector: 'll-bind-source-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    <h2 mat-dialog-title>
      {{ data.source ? 'Bind ' + data.source + ' to a model' : 'Bind a source to a model' }}
    </h2>
    <form (submit)="$event.preventDefault(); confirm()">
      <mat-dialog-content>
        @if (!data.source) {
          <mat-form-field class="full">
            <mat-label>Source</mat-label>
            <input
              matInput
              required
              autocomplete="off"
              spellcheck="false"
              list="bind-known-sources"
              [value]="source()"
              (input)="source.set($any($event.target).value.trim())"
              aria-describedby="bind-source-help"
            />
            <datalist id="bind-known-sources">
              @for (s of data.sources; track s) {
                <option [value]="s"></option>
              }
            </datalist>
            <mat-hint id="bind-source-help" [class.hint-error]="!!sourceError()">{{
              sourceError() ?? sourceHint
            }}</mat-hint>
          </mat-form-field>
        }
        <mat-form-field class="full">
          <mat-label>Model</mat-label>
          <mat-select [value]="model()" (selectionChange)="model.set($event.value)" required>
            @for (m of data.models; track m.name) {
              <mat-option [value]="m.name"
                >{{ m.name }}{{ m.serving ? ' (serves ' + m.serving + ')' : ' (serves nothing)' }}</mat-option
              >
            }
          </mat-select>
        </mat-form-field>

        <div class="change" aria-live="polite">
          @if (source() && model() && !sourceError()) {
            @if (current() === model()) {
              <p>{{ source() }} is already bound to {{ model() }}: nothing changes.</p>
            } @else {
              <dl aria-label="What will change">
                <dt>{{ source() }} scored by</dt>
                <dd>
                  <code class="from">{{ current() ?? 'the default model' }}</code> →
                  <code class="to">{{ model() }}</code>
                </dd>
              </dl>
              <p class="note">
                The agent scores the source's next windows with {{ model() }}'s serving version{{
                  servingOf(model())
                    ? '.'
                    : ': it serves nothing now, so the default model scores them until it is deployed.'
                }}
              </p>
            }
          }
        </div>

        <mat-form-field class="full">
          <mat-label>Why (kept in the transfer history)</mat-label>
          <input
            matInput
            maxlength="1000"
            autocomplete="off"
            [value]="reason()"
            (input)="reason.set($any($event.target).value)"
          />
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="undefined">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="!canSave()">Bind</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .full {
      width: 100%;
    }
    .change {
      min-height: 48px;
    }
    dl {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      margin: 0 0 4px;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container);
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
    }
    .note {
      color: var(--mat-sys-on-surface-variant);
      margin-top: 4px;
    }
  `,
})
export class BindSourceDialogComponent {
  protected readonly data = inject<BindSourceDialogData>(MAT_DIALOG_DATA);
  private readonly ref =
    inject<MatDialogRef<BindSourceDialogComponent, BindSourceDialogResult>>(MatDialogRef);

  protected readonly source = signal(this.data.source ?? '');
  protected readonly model = signal(this.data.source ? (this.data.bound[this.data.source] ?? '') : '');
  protected readonly reason = signal('');
  protected readonly sourceHint = 'The last token of logs.generic.<source> / logs.wifi.<site>.';
  protected readonly current = computed<string | null>(() => this.data.bound[this.source()] ?? null);
  protected readonly sourceError = computed(() => {
    const s = this.source();
    return !s || SOURCE_NAME_PATTERN.test(s) ? null : 'A source name is 1-64 letters, digits, "_" or "-".';
  });
  protected readonly canSave = computed(
    () => !!this.source() && !!this.model() && !this.sourceError() && this.current() !== this.model(),
  );

  protected servingOf(model: string): string | null {
    return this.data.models.find((m) => m.name === model)?.serving ?? null;
  }

  protected confirm(): void {
    if (!this.canSave()) return;
    this.ref.close({ source: this.source(), model: this.model(), reason: this.reason().trim() });
  }
}
