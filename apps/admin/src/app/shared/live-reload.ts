import { inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { debounceTime, filter } from 'rxjs';
import { LiveEventsService } from '../core/live-events.service';
import type { LiveEvent } from '../core/live-events';
import type { Loader } from './loader';

/**
 * Reloads `loader` when the registry reports a change (optionally only the ones `relevant` picks), so a page shows
 * deploys and rollbacks made elsewhere without a reload. Bursts (a deploy emits several events) reload once.
 * Call it in an injection context.
 */
export function reloadOnLive(
  loader: Pick<Loader<unknown>, 'reload'>,
  relevant: (e: LiveEvent) => boolean = () => true,
): void {
  inject(LiveEventsService)
    .events.pipe(filter(relevant), debounceTime(300), takeUntilDestroyed())
    .subscribe(() => loader.reload());
}
