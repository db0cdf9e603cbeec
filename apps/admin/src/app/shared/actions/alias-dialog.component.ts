import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { ALIAS_PATTERN } from '@loglens/contracts/protocol';
const WELL_KNOWN = ['production', 'staging', 'champion', 'challenger'];

export interface AliasDialogData {
  model: string;
  /** the version the alias will point at */
  to: string;
  /** the model's aliases now: alias → ref */
  aliases: Record<string, string>;
}

export interface AliasDialogResult {
  alias: string;
  reason: string;
}

/** Picks an alias to point at a version and shows, before saying yes, where it points now and where it will. */
@Component({
  selector: 'll-alias-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatAutocompleteModule],
  template: `
    <h2 mat-dialog-title>Point an alias at {{ data.to }}</h2>
    <form (submit)="$event.preventDefault(); confirm()">
      <mat-dialog-content>
        <mat-form-field class="full">
          <mat-label>Alias</mat-label>
          <input
            matInput
            required
            autocomplete="off"
            spellcheck="false"
            [value]="alias()"
            (input)="alias.set($any($event.target).value)"
            [matAutocomplete]="auto"
            aria-describedby="alias-help"
          />
          <mat-autocomplete #auto="matAutocomplete" (optionSelected)="alias.set($event.option.value)">
            @for (a of suggestions(); track a) {
              <mat-option [value]="a"
                >{{ a }}{{ data.aliases[a] ? ' (now ' + data.aliases[a] + ')' : '' }}</mat-option
              >
            }
          </mat-autocomplete>
          <mat-hint id="alias-help"
            >Lower-case, starts with a letter; e.g. production, staging, champion.</mat-hint
          >
          @if (error()) {
            <mat-error>{{ error() }}</mat-error>
          }
        </mat-form-field>

        <div class="change" aria-live="polite">
          @if (alias() && !error()) {
            @if (current() === data.to) {
              <p>
                <code>{{ data.model }}&#64;{{ alias() }}</code> already points at <code>{{ data.to }}</code
                >: nothing changes.
              </p>
            } @else {
              <dl aria-label="What will change">
                <dt>{{ data.model }}&#64;{{ alias() }}</dt>
                <dd>
                  <code class="from">{{ current() ?? 'new alias' }}</code> →
                  <code class="to">{{ data.to }}</code>
                </dd>
              </dl>
              <p class="note">
                Clients that call <code>{{ data.model }}&#64;{{ alias() }}</code> get {{ data.to }} from then
                on. What serves the bare model name does not change.
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
        <button mat-flat-button type="submit" [disabled]="!canSave()">Move alias</button>
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
export class AliasDialogComponent {
  protected readonly data = inject<AliasDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<AliasDialogComponent, AliasDialogResult>>(MatDialogRef);

  protected readonly alias = signal('');
  protected readonly reason = signal('');
  protected readonly current = computed<string | null>(() => this.data.aliases[this.alias().trim()] ?? null);
  protected readonly suggestions = computed(() => {
    const typed = this.alias().trim();
    const all = [...new Set([...Object.keys(this.data.aliases), ...WELL_KNOWN])];
    return all.filter((a) => a.startsWith(typed));
  });
  protected readonly error = computed(() => {
    const a = this.alias().trim();
    if (!a || ALIAS_PATTERN.test(a)) return null;
    return a === 'latest'
      ? '"latest" is reserved: it always means the newest version.'
      : 'Use lower-case letters, digits, "_" or "-", starting with a letter (max 32).';
  });
  protected readonly canSave = computed(
    () => !!this.alias().trim() && !this.error() && this.current() !== this.data.to,
  );

  protected confirm(): void {
    if (!this.canSave()) return;
    this.ref.close({ alias: this.alias().trim(), reason: this.reason().trim() });
  }
}
