import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import { ApiKeyStore } from '../../core/api-key.store';
import { AnomalyFeedService, FEED_MAX, type FeedItem } from '../../core/anomaly-feed.service';
import { LiveEventsService } from '../../core/live-events.service';
import { WindowTableComponent } from './window-table.component';
import { type WindowView, featureText, formatTime, fromStoredWindow } from './windows';

/** The feed's items as table rows, newest first. */
export function feedWindows(items: readonly FeedItem[]): WindowView[] {
  return items.map((i) => fromStoredWindow(i.window, i.receivedAt));
}

@Component({
  selector: 'll-live-anomalies-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButtonModule, MatSlideToggleModule, WindowTableComponent],
  template: `
    <section class="page" aria-labelledby="live-title">
      <header class="page-header">
        <h1 id="live-title">Live anomalies</h1>
        <mat-slide-toggle [checked]="paused()" (change)="setPaused($event.checked)"
          >Pause the list</mat-slide-toggle
        >
        <button mat-stroked-button type="button" (click)="clear()" [disabled]="feed.count() === 0">
          Clear
        </button>
      </header>
      <p class="muted intro">
        Anomalous windows the streaming agents find in logs published to JetStream, as they find them: newest first,
        the latest {{ max }} kept here. Every window, normal ones too, is in
        <a routerLink="/results">Stored results</a>.
      </p>

      @if (!keys.key()) {
        <div class="notice">Set an API key in Settings to receive live anomalies.</div>
      } @else if (live.status() !== 'live') {
        <div class="notice" role="status">
          Not connected to the live stream ({{ statusText() }}). Anomalies found meanwhile are in
          <a routerLink="/results" [queryParams]="{ anomalous: 'true' }">Stored results</a>.
        </div>
      } @else {
        <p class="connected" role="status">
          <span class="dot" aria-hidden="true"></span> Connected: new anomalies appear at the top.
        </p>
      }

      <p class="visually-hidden" aria-live="polite">
        {{ feed.total() }} anomal{{ feed.total() === 1 ? 'y' : 'ies' }} received.
      </p>

      @if (paused() && newWhilePaused() > 0) {
        <div class="paused" role="status">
          {{ newWhilePaused() }} new anomal{{ newWhilePaused() === 1 ? 'y' : 'ies' }} while paused.
          <button mat-flat-button type="button" (click)="setPaused(false)">Show them</button>
        </div>
      }

      @if (windows().length === 0) {
        <div class="notice empty" role="status">
          No anomalies since this console opened. They appear here the moment an agent finds one; earlier ones are
          in <a routerLink="/results" [queryParams]="{ anomalous: 'true' }">Stored results</a>.
        </div>
      } @else {
        <p class="summary">
          {{ windows().length }} anomal{{ windows().length === 1 ? 'y' : 'ies' }} shown{{
            feed.total() > windows().length ? ' of ' + feed.total() + ' received' : ''
          }}.
        </p>
        <ll-window-table
          [windows]="windows()"
          [anomaliesFirst]="false"
          [showReceived]="true"
          [showSource]="true"
          label="Live anomalies, newest first"
          detailLabel="Details"
          [detail]="detailTpl"
        />
      }
    </section>

    <ng-template #detailTpl let-w>
      <dl class="key-values">
        <dt>Window id</dt>
        <dd>
          <code>{{ w.id }}</code>
        </dd>
        <dt>Received</dt>
        <dd>{{ w.receivedAt ? time(w.receivedAt) : '—' }}</dd>
        <dt>Top features</dt>
        <dd>
          @for (f of w.topFeatures; track f.name) {
            <div>{{ feature(f) }}</div>
          } @empty {
            <span class="muted">none</span>
          }
        </dd>
      </dl>
      @if (w.source) {
        <a
          routerLink="/results"
          [queryParams]="{ source: w.source, from: w.start, to: w.end }"
          [attr.aria-label]="'All stored windows of ' + w.source + ' in this time range'"
          >All stored windows of {{ w.source }} in this time range</a
        >
      }
    </ng-template>
  `,
  styles: `
    .intro {
      margin-top: -8px;
      max-width: 90ch;
    }
    .connected {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: #2da44e;
    }
    .paused {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px;
      padding: 8px 16px;
      margin-bottom: 12px;
      border-radius: 8px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
  `,
})
export class LiveAnomaliesPageComponent {
  protected readonly feed = inject(AnomalyFeedService);
  protected readonly live = inject(LiveEventsService);
  protected readonly keys = inject(ApiKeyStore);

  protected readonly max = FEED_MAX;
  protected readonly time = formatTime;
  protected readonly feature = featureText;

  protected readonly paused = signal(false);
  /** the list as it was when paused */
  private readonly frozen = signal<readonly FeedItem[]>([]);
  protected readonly windows = computed(() => feedWindows(this.paused() ? this.frozen() : this.feed.items()));
  protected readonly newWhilePaused = computed(() => {
    if (!this.paused()) return 0;
    const shown = new Set(this.frozen().map((i) => i.window.id));
    return this.feed.items().filter((i) => !shown.has(i.window.id)).length;
  });
  protected readonly statusText = computed(() => {
    switch (this.live.status()) {
      case 'connecting':
        return 'connecting…';
      case 'reconnecting':
        return 'reconnecting…';
      case 'off':
      case 'live':
        return 'offline';
    }
  });

  constructor() {
    // on screen: nothing here is "unseen", so the nav badge stays at zero
    inject(DestroyRef).onDestroy(this.feed.view());
  }

  protected setPaused(paused: boolean): void {
    this.frozen.set(paused ? this.feed.items() : []);
    this.paused.set(paused);
  }

  protected clear(): void {
    this.feed.clear();
    this.frozen.set([]);
  }
}
