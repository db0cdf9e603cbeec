import { Injectable, inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { SourceBindingDto } from '@loglens/contracts';
import { type Observable, catchError, concatMap, from, last, map, of, switchMap, tap, toArray } from 'rxjs';
import { ApiError } from '../../core/api-error';
import { SourcesData } from '../../core/data/sources.data';
import {
  ConfirmDialogComponent,
  type ConfirmDialogData,
  type ConfirmResult,
} from '../confirm-dialog.component';
import {
  BindSourceDialogComponent,
  type BindSourceDialogData,
  type BindSourceDialogResult,
} from './bind-source-dialog.component';
import type { ActionResult } from './model-actions.service';

const DIALOG = { width: '520px', maxWidth: '95vw', autoFocus: 'first-tabbable' as const };

function messageOf(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/**
 * Source binding changes, each behind a step that shows what a source is scored by now and will be: bind or re-bind
 * one source (a dialog to pick the model), bind a trained model's sources at once, unbind. Like ModelActions, a
 * failure comes back as `{ok: false}` with the gateway's message; null means the person cancelled.
 */
@Injectable({ providedIn: 'root' })
export class SourceActions {
  private readonly api = inject(SourcesData);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  /** Opens the bind dialog (for `data.source`, or a source the person names) and binds what was chosen. */
  bind(data: BindSourceDialogData): Observable<ActionResult | null> {
    return this.dialog
      .open<BindSourceDialogComponent, BindSourceDialogData, BindSourceDialogResult>(
        BindSourceDialogComponent,
        {
          ...DIALOG,
          data,
        },
      )
      .afterClosed()
      .pipe(
        switchMap((choice) =>
          choice
            ? this.call(
                () => this.api.bind(choice.source, choice.model, choice.reason),
                (b) => `${b.source} is now scored by ${b.model} (${b.agent} agent).`,
              )
            : of(null),
        ),
      );
  }

  /**
   * Binds every one of `sources` to `model` after one confirm step listing each change. `serving`: what the model
   * serves now (null: nothing, so the default model keeps scoring until a version is deployed — worth saying).
   */
  bindAll(
    sources: readonly string[],
    model: string,
    bound: Record<string, string>,
    serving: string | null = null,
  ): Observable<ActionResult | null> {
    const confirm: ConfirmDialogData = {
      title: `Bind ${sources.length === 1 ? sources[0] : `${sources.length} sources`} to ${model}?`,
      question: `Score ${sources.join(', ')} with ${model}'s serving version from now on?`,
      changes: sources.map((s) => ({
        label: `${s} scored by`,
        from: bound[s] ?? 'the default model',
        to: model,
      })),
      notes: [
        serving
          ? `The agents score the next windows with ${serving}; each change is recorded in the transfer history.`
          : `${model} serves nothing yet: the default model keeps scoring these sources until a version of ${model} is deployed.`,
      ],
      confirmLabel: 'Bind',
      askReason: true,
    };
    return this.confirmThen(confirm, (reason) =>
      this.call(
        () =>
          from(sources).pipe(
            concatMap((s) => this.api.bind(s, model, reason)),
            toArray(),
          ),
        (all) => `${all.map((b) => b.source).join(', ')} now scored by ${model}.`,
      ),
    );
  }

  unbind(b: SourceBindingDto): Observable<ActionResult | null> {
    const confirm: ConfirmDialogData = {
      title: `Unbind ${b.source}?`,
      question: `Stop scoring ${b.source} with ${b.model}?`,
      changes: [{ label: `${b.source} scored by`, from: b.model, to: 'the default model' }],
      notes: [
        `The ${b.agent} agent scores its next windows with its default model. ${b.model} itself is untouched.`,
      ],
      confirmLabel: 'Unbind',
      askReason: true,
      destructive: true,
    };
    return this.confirmThen(confirm, (reason) =>
      this.call(
        () => this.api.unbind(b.source, reason),
        (r) => `${r.source} unbound from ${r.model}: the default model scores it again.`,
      ),
    );
  }

  private confirmThen(
    data: ConfirmDialogData,
    then: (reason: string) => Observable<ActionResult>,
  ): Observable<ActionResult | null> {
    return this.dialog
      .open<ConfirmDialogComponent, ConfirmDialogData, ConfirmResult>(ConfirmDialogComponent, {
        ...DIALOG,
        data,
      })
      .afterClosed()
      .pipe(switchMap((ok) => (ok ? then(ok.reason) : of(null))));
  }

  private call<T>(call: () => Observable<T>, success: (reply: T) => string): Observable<ActionResult> {
    return call().pipe(
      last(),
      map((reply): ActionResult => ({ ok: true, message: success(reply) })),
      catchError((err: unknown) => of<ActionResult>({ ok: false, message: messageOf(err) })),
      tap((r) => {
        if (r.ok) this.snackBar.open(r.message, 'OK', { duration: 6000 });
      }),
    );
  }
}
