import { type Signal, computed, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { type Observable, Subject, combineLatest, of, startWith, switchMap } from 'rxjs';
import { catchError, map } from 'rxjs/operators';
import { ApiError } from '../core/api-error';

/** What a page knows about one piece of remote data. A reload keeps the last value so the page does not blank out. */
export type LoadState<T> =
  | { status: 'loading'; value: T | null }
  | { status: 'ready'; value: T }
  | { status: 'error'; message: string; value: T | null };

export interface Loader<T> {
  readonly state: Signal<LoadState<T>>;
  readonly value: Signal<T | null>;
  reload(): void;
}

function messageOf(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/**
 * Loads `load(params())` now, again whenever `params()` changes and on `reload()`; a newer load cancels an older
 * one. Call it in an injection context (a field initializer): it unsubscribes when the component is destroyed.
 */
export function createLoader<T, P = undefined>(
  load: (params: P) => Observable<T>,
  params?: () => P,
): Loader<T> {
  const state = signal<LoadState<T>>({ status: 'loading', value: null });
  const reload$ = new Subject<void>();
  const params$: Observable<P> = params ? toObservable(computed(params)) : of(undefined as P);

  combineLatest([params$, reload$.pipe(startWith(undefined))])
    .pipe(
      switchMap(([p]) => {
        state.update((s) => ({ status: 'loading', value: s.value }));
        return load(p).pipe(
          map((value): LoadState<T> => ({ status: 'ready', value })),
          catchError((err: unknown) =>
            of<LoadState<T>>({ status: 'error', message: messageOf(err), value: state().value }),
          ),
        );
      }),
      takeUntilDestroyed(),
    )
    .subscribe((next) => state.set(next));

  return {
    state: state.asReadonly(),
    value: computed(() => state().value),
    reload: () => reload$.next(),
  };
}
