import { Injectable, signal } from '@angular/core';
import type { Observable } from 'rxjs';
import type { ActionResult } from '../../shared/actions/model-actions.service';

/**
 * Runs one version action at a time for a version page and its parts (the action bar, the alias chips): whether one
 * is running, the last refusal, and a counter the page watches to reload what the action changed. Provided by the
 * page, so each page has its own.
 */
@Injectable()
export class VersionActionRunner {
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  /** bumped after every action that reached the gateway (done or refused) */
  readonly changed = signal(0);

  run(action: Observable<ActionResult | null>): void {
    this.error.set(null);
    this.busy.set(true);
    action.subscribe({
      next: (result) => {
        this.busy.set(false);
        if (!result) return;
        if (!result.ok) this.error.set(result.message);
        this.changed.update((n) => n + 1);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set(String(err));
      },
    });
  }
}
