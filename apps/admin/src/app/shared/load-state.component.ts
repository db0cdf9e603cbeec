import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { LoadState } from './loader';

/**
 * The loading, error and empty states every page shows around its data. It renders nothing once there is data to
 * show, except a thin progress bar while refreshing and an error banner when a refresh failed.
 */
@Component({
  selector: 'll-load-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatProgressBarModule, MatProgressSpinnerModule],
  template: `
    @let s = state();
    @if (s.status === 'loading' && s.value !== null) {
      <mat-progress-bar mode="indeterminate" aria-label="Refreshing" class="refresh-bar" />
    }
    @if (s.status === 'loading' && s.value === null) {
      <div class="box" role="status" aria-live="polite">
        <mat-spinner diameter="32" aria-hidden="true" />
        <span>{{ loadingText() }}</span>
      </div>
    } @else if (s.status === 'error') {
      <div class="box error" role="alert">
        <div>
          <strong>{{ s.value === null ? failedText() : 'Refresh failed; showing the last data.' }}</strong>
          <div>{{ s.message }}</div>
        </div>
        <button mat-stroked-button type="button" (click)="retry.emit()">Retry</button>
      </div>
    }
    @if (showEmpty()) {
      <div class="box empty" role="status">{{ emptyText() }}</div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .refresh-bar {
      margin-bottom: 8px;
    }
    .box {
      display: flex;
      align-items: center;
      gap: 16px;
      padding: 16px;
      margin-bottom: 16px;
      border-radius: 8px;
      background: var(--mat-sys-surface-container);
    }
    .box.error {
      justify-content: space-between;
      flex-wrap: wrap;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .box.empty {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class LoadStateComponent {
  readonly state = input.required<LoadState<unknown>>();
  /** true when the loaded value has nothing to show */
  readonly empty = input(false);
  readonly emptyText = input('Nothing here yet.');
  readonly loadingText = input('Loading…');
  readonly failedText = input('Could not load the data.');
  readonly retry = output<void>();

  protected readonly showEmpty = computed(() => {
    const s = this.state();
    return s.status === 'ready' && this.empty();
  });
}
