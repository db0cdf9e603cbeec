import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { WindowResultDto } from '@loglens/contracts';
import { LiveEventsService } from './live-events.service';

/** The feed keeps this many anomalies; older ones are still in Stored results. */
export const FEED_MAX = 200;

export interface FeedItem {
  /** when this tab received it (ISO 8601) */
  receivedAt: string;
  window: WindowResultDto;
}

/**
 * The anomalies the streaming agents report live (`anomalies.detected` on the SSE stream), newest first, from the
 * moment the console opened — on every page, so the nav can count the ones not seen yet. A redelivered window
 * (same deterministic id) is shown once.
 */
@Injectable({ providedIn: 'root' })
export class AnomalyFeedService {
  private readonly _items = signal<readonly FeedItem[]>([]);
  /** newest first, at most FEED_MAX */
  readonly items = this._items.asReadonly();
  private readonly _unseen = signal(0);
  /** anomalies received since the Live anomalies page was last on screen */
  readonly unseen = this._unseen.asReadonly();
  private readonly _total = signal(0);
  /** every anomaly received since the console opened (the list itself is capped) */
  readonly total = this._total.asReadonly();
  readonly count = computed(() => this._items().length);
  private viewers = 0;

  constructor() {
    inject(LiveEventsService)
      .anomalies.pipe(takeUntilDestroyed())
      .subscribe((w) => this.add(w));
  }

  add(window: WindowResultDto, now: Date = new Date()): void {
    if (this._items().some((i) => i.window.id === window.id)) return;
    this._items.update((items) => [{ receivedAt: now.toISOString(), window }, ...items].slice(0, FEED_MAX));
    this._total.update((n) => n + 1);
    if (this.viewers === 0) this._unseen.update((n) => n + 1);
  }

  /**
   * The feed is on screen from now until the returned function is called: the unseen count drops to zero and stays
   * there meanwhile.
   */
  view(): () => void {
    this.viewers++;
    this._unseen.set(0);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.viewers--;
    };
  }

  clear(): void {
    this._items.set([]);
    this._unseen.set(0);
  }
}
