import { Injectable, inject } from '@angular/core';
import type { JobDto } from '@loglens/contracts';
import {
  type Observable,
  EMPTY,
  catchError,
  distinctUntilChanged,
  exhaustMap,
  filter,
  merge,
  scan,
  takeWhile,
  throwError,
  timer,
} from 'rxjs';
import { ApiError } from '../../core/api-error';
import { LiveEventsService } from '../../core/live-events.service';
import { TrainingData } from '../../core/data/training.data';

/** Seconds between polls while the event stream is down, and while it is up (a safety net for a lost event). */
export const POLL_OFFLINE_S = 2;
export const POLL_LIVE_S = 10;

export function isFinished(job: Pick<JobDto, 'state'>): boolean {
  return job.state === 'succeeded' || job.state === 'failed';
}

/** The newer of two reports on one job: a finished job never changes again, and an older update never wins. */
export function newer(current: JobDto | null, next: JobDto): JobDto {
  if (!current) return next;
  if (isFinished(current)) return current;
  return Date.parse(next.updatedAt) >= Date.parse(current.updatedAt) || isFinished(next) ? next : current;
}

/**
 * Follows one job until it ends: its live events (SSE) as they come, plus a poll of GET /jobs/{id} — every
 * POLL_OFFLINE_S seconds while the event stream is down, every POLL_LIVE_S while it is up — so progress shows even
 * behind a proxy that drops SSE. Emits the job each time it changes and completes after it succeeded or failed.
 * A job the gateway does not know (404) ends the stream with that error; other poll failures wait for the next poll.
 */
@Injectable({ providedIn: 'root' })
export class JobWatcher {
  private readonly api = inject(TrainingData);
  private readonly live = inject(LiveEventsService);

  watch(id: string): Observable<JobDto> {
    const fromEvents = this.live.jobs.pipe(filter((j) => j.id === id));
    const polls = timer(0, 1000).pipe(
      filter((tick) => tick % (this.live.status() === 'live' ? POLL_LIVE_S : POLL_OFFLINE_S) === 0),
      exhaustMap(() =>
        this.api
          .job(id)
          .pipe(
            catchError((err: unknown) =>
              err instanceof ApiError && err.status === 404 ? throwError(() => err) : EMPTY,
            ),
          ),
      ),
    );
    return merge(fromEvents, polls).pipe(
      scan((current: JobDto | null, next: JobDto) => newer(current, next), null),
      filter((j): j is JobDto => j !== null),
      distinctUntilChanged(
        (a, b) =>
          a.updatedAt === b.updatedAt &&
          a.state === b.state &&
          a.progress.stage === b.progress.stage &&
          a.progress.done === b.progress.done,
      ),
      takeWhile((j) => !isFinished(j), true),
    );
  }
}
