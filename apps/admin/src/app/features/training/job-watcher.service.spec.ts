import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { JobDto } from '@loglens/contracts';
import { Observable, Subject, of, throwError } from 'rxjs';
import { ApiError } from '../../core/api-error';
import { LiveEventsService } from '../../core/live-events.service';
import { TrainingData } from '../../core/data/training.data';
import { JobWatcher, POLL_LIVE_S, POLL_OFFLINE_S, newer } from './job-watcher.service';

function job(state: JobDto['state'], at: number, stage = 'reading', id = 'job-1'): JobDto {
  return {
    id,
    kind: 'train',
    model: 'app',
    state,
    progress: { stage, done: at, total: 10 },
    params: { sources: ['app'] },
    createdBy: 'operator:1',
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(at * 1000).toISOString(),
  };
}

describe('JobWatcher', () => {
  let events: Subject<JobDto>;
  let status: ReturnType<typeof signal<string>>;
  let polled: () => Observable<JobDto>;
  let polls: number;

  beforeEach(() => {
    jest.useFakeTimers();
    events = new Subject<JobDto>();
    status = signal('live');
    polls = 0;
    TestBed.configureTestingModule({
      providers: [
        { provide: LiveEventsService, useValue: { jobs: events, status } },
        {
          provide: TrainingData,
          useValue: {
            job: () => {
              polls++;
              return polled();
            },
          },
        },
      ],
    });
  });

  afterEach(() => jest.useRealTimers());

  it('shows live events of its job as they come and ends once the job succeeded', () => {
    polled = () => of(job('queued', 0));
    const seen: string[] = [];
    let done = false;
    TestBed.inject(JobWatcher)
      .watch('job-1')
      .subscribe({
        next: (j) => seen.push(`${j.state}:${j.progress.stage}:${j.progress.done}`),
        complete: () => (done = true),
      });
    jest.advanceTimersByTime(0);
    events.next(job('running', 1));
    events.next(job('running', 2, 'training', 'another-job'));
    events.next(job('running', 3, 'training'));
    events.next(job('running', 3, 'training'));
    events.next(job('succeeded', 4, 'done'));
    events.next(job('running', 5));
    expect(seen).toEqual(['queued:reading:0', 'running:reading:1', 'running:training:3', 'succeeded:done:4']);
    expect(done).toBe(true);
  });

  it('polls every few seconds while the event stream is down, and rarely while it is up', () => {
    let current = job('running', 1);
    polled = () => of(current);
    const seen: string[] = [];
    TestBed.inject(JobWatcher)
      .watch('job-1')
      .subscribe((j) => seen.push(j.state));
    jest.advanceTimersByTime(0);
    expect(polls).toBe(1);
    jest.advanceTimersByTime((POLL_LIVE_S - 1) * 1000);
    expect(polls).toBe(1);
    status.set('reconnecting');
    jest.advanceTimersByTime(POLL_OFFLINE_S * 1000);
    expect(polls).toBeGreaterThanOrEqual(2);
    current = job('failed', 2, 'training');
    jest.advanceTimersByTime(POLL_OFFLINE_S * 1000);
    expect(seen).toEqual(['running', 'failed']);
    const after = polls;
    jest.advanceTimersByTime(20_000);
    expect(polls).toBe(after);
  });

  it('ends with the error when the gateway does not know the job, and waits out other failures', () => {
    status.set('off');
    polled = () => throwError(() => new ApiError('the gateway timed out', 504));
    const errors: string[] = [];
    TestBed.inject(JobWatcher)
      .watch('job-1')
      .subscribe({ error: (e: Error) => errors.push(e.message) });
    jest.advanceTimersByTime(POLL_OFFLINE_S * 1000);
    expect(errors).toEqual([]);
    polled = () => throwError(() => new ApiError('no job job-1', 404, 'NOT_FOUND'));
    jest.advanceTimersByTime(POLL_OFFLINE_S * 1000);
    expect(errors).toEqual(['no job job-1']);
  });

  it('never lets an older report or anything after the end replace what is shown', () => {
    expect(newer(job('running', 5), job('running', 4)).progress.done).toBe(5);
    expect(newer(job('succeeded', 5), job('running', 6)).state).toBe('succeeded');
    expect(newer(job('running', 5), job('failed', 4)).state).toBe('failed');
    expect(newer(null, job('queued', 0)).state).toBe('queued');
  });
});
