import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

/** Mirrors the tag rule of TagVersionRequest in @loglens/contracts. */
const TAG_PATTERN = /^[a-zA-Z0-9._:-]{1,64}$/;

export interface TagsDialogData {
  ref: string;
  tags: string[];
}

export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

/** Edits a version's tags; shows the old and new list before saving. Closes with the new list. */
@Component({
  selector: 'll-tags-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>Tags of {{ data.ref }}</h2>
    <form (submit)="$event.preventDefault(); confirm()">
      <mat-dialog-content>
        <mat-form-field class="full">
          <mat-label>Tags (comma or space separated)</mat-label>
          <input
            matInput
            autocomplete="off"
            spellcheck="false"
            [value]="text()"
            (input)="text.set($any($event.target).value)"
          />
          @if (bad().length) {
            <mat-error
              >Not a tag: {{ bad().join(', ') }} (letters, digits, ".", "_", ":" or "-", max 64)</mat-error
            >
          }
        </mat-form-field>
        <dl aria-label="What will change">
          <dt>Tags</dt>
          <dd>
            <code class="from">{{ data.tags.join(', ') || 'none' }}</code> →
            <code class="to">{{ tags().join(', ') || 'none' }}</code>
          </dd>
        </dl>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="undefined">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="!canSave()">Save tags</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .full {
      width: 100%;
    }
    dl {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
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
  `,
})
export class TagsDialogComponent {
  protected readonly data = inject<TagsDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<TagsDialogComponent, string[]>>(MatDialogRef);

  protected readonly text = signal(this.data.tags.join(', '));
  protected readonly tags = computed(() => parseTags(this.text()));
  protected readonly bad = computed(() => this.tags().filter((t) => !TAG_PATTERN.test(t)));
  protected readonly canSave = computed(
    () =>
      this.bad().length === 0 &&
      this.tags().length <= 32 &&
      this.tags().join(',') !== this.data.tags.join(','),
  );

  protected confirm(): void {
    if (this.canSave()) this.ref.close(this.tags());
  }
}
