import { ChangeDetectionStrategy, Component, input, model, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { formatBytes } from './format';
import { IconComponent } from './icon.component';

let nextId = 0;

/**
 * A file drop target with a real button for keyboard and screen-reader users (dropping is a mouse-only gesture).
 * Two-way binds `file`.
 */
@Component({
  selector: 'll-drop-zone',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, IconComponent],
  template: `
    <div
      class="zone"
      [class.over]="over()"
      [class.has-file]="!!file()"
      (dragenter)="onDragOver($event)"
      (dragover)="onDragOver($event)"
      (dragleave)="over.set(false)"
      (drop)="onDrop($event)"
    >
      <input
        #picker
        type="file"
        class="visually-hidden"
        tabindex="-1"
        [id]="inputId"
        [accept]="accept()"
        [attr.aria-label]="label()"
        (change)="onPick($event)"
      />
      <ll-icon name="upload" class="zone-icon" />
      <div class="text">
        <div class="label" [id]="inputId + '-label'">{{ label() }}{{ required() ? '' : ' (optional)' }}</div>
        @if (file(); as f) {
          <div class="chosen" aria-live="polite">
            <strong>{{ f.name }}</strong> <span class="muted">{{ size(f.size) }}</span>
          </div>
        } @else {
          <div class="muted">{{ hint() }}</div>
        }
      </div>
      <div class="buttons">
        <button
          mat-stroked-button
          type="button"
          [attr.aria-describedby]="inputId + '-label'"
          (click)="picker.click()"
        >
          {{ file() ? 'Replace…' : 'Choose file…' }}
        </button>
        @if (file()) {
          <button
            mat-button
            type="button"
            [attr.aria-label]="'Remove ' + label()"
            (click)="file.set(null); picker.value = ''"
          >
            Remove
          </button>
        }
      </div>
    </div>
  `,
  styles: `
    .zone {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px 16px;
      padding: 16px;
      border: 2px dashed var(--mat-sys-outline-variant);
      border-radius: 12px;
      background: var(--mat-sys-surface-container-lowest);
      transition:
        border-color 0.15s,
        background 0.15s;
    }
    .zone.over {
      border-color: var(--mat-sys-primary);
      background: var(--mat-sys-primary-container);
    }
    .zone.has-file {
      border-style: solid;
    }
    .zone-icon {
      color: var(--mat-sys-primary);
    }
    .text {
      flex: 1 1 200px;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .label {
      font: var(--mat-sys-title-small);
    }
    .chosen .muted {
      margin-left: 8px;
    }
    .buttons {
      display: flex;
      gap: 4px;
    }
  `,
})
export class DropZoneComponent {
  readonly label = input.required<string>();
  readonly hint = input('Drop the file here.');
  readonly accept = input('');
  readonly required = input(false);
  readonly file = model<File | null>(null);

  protected readonly inputId = `ll-drop-${nextId++}`;
  protected readonly over = signal(false);
  protected readonly size = formatBytes;

  protected onDragOver(event: DragEvent): void {
    // without preventDefault the browser would open the dropped file instead of handing it to us
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.over.set(true);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.over.set(false);
    const f = event.dataTransfer?.files?.[0];
    if (f) this.file.set(f);
  }

  protected onPick(event: Event): void {
    const f = (event.target as HTMLInputElement).files?.[0];
    if (f) this.file.set(f);
  }
}
