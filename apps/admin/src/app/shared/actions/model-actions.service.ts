import { Injectable, inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { ModelVersionSummaryDto } from '@loglens/contracts';
import { statusAfterLoad, statusAfterValidation } from '@loglens/contracts/protocol';
import { type Observable, catchError, map, of, switchMap, tap } from 'rxjs';
import { ApiError } from '../../core/api-error';
import { LifecycleData } from '../../core/data/lifecycle.data';
import { ModelsData } from '../../core/data/models.data';
import { LiveEventsService } from '../../core/live-events.service';
import {
  ConfirmDialogComponent,
  type ConfirmDialogData,
  type ConfirmResult,
} from '../confirm-dialog.component';
import { AliasDialogComponent, type AliasDialogData, type AliasDialogResult } from './alias-dialog.component';
import { TagsDialogComponent, type TagsDialogData } from './tags-dialog.component';

/** How an action ended; null from an action means the person cancelled at the confirm step. */
export interface ActionResult {
  ok: boolean;
  message: string;
}

/** The version an action is about (a summary is enough: every action needs only these). */
export type ActionVersion = Pick<
  ModelVersionSummaryDto,
  'ref' | 'version' | 'status' | 'aliases' | 'tags'
> & {
  model: string;
};

const DIALOG = { width: '520px', maxWidth: '95vw', autoFocus: 'first-tabbable' as const };

function messageOf(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/**
 * Every model-changing action of the console: a confirm step that says what will change, the gateway call, and a
 * snackbar on success. Failures (a 403 included, with its explanation) come back as `{ok: false}` for the page to
 * show where the person is looking.
 */
@Injectable({ providedIn: 'root' })
export class ModelActions {
  private readonly models = inject(ModelsData);
  private readonly lifecycle = inject(LifecycleData);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly live = inject(LiveEventsService);

  validate(v: ActionVersion): Observable<ActionResult | null> {
    return this.run(
      v.model,
      {
        title: `Validate ${v.ref}?`,
        question: `Run every check on ${v.ref} again, including a test inference in a worker.`,
        notes: [
          'The new report replaces the latest one.',
          statusAfterValidation(v.status, 'fail') === v.status && statusAfterValidation(v.status, 'pass') === v.status
            ? `A ${v.status} version keeps its status whatever the outcome; the report says what is wrong.`
            : `If a check fails the version becomes ${statusAfterValidation(v.status, 'fail')} and can no longer be deployed; if all pass it becomes ${statusAfterValidation(v.status, 'pass')}.`,
        ],
        confirmLabel: 'Validate',
      },
      () => this.lifecycle.validate(v.ref),
      (r) =>
        `${v.ref}: validation ${r.outcome === 'pass' ? 'passed' : r.outcome === 'warn' ? 'passed with warnings' : 'failed'}.`,
    );
  }

  load(v: ActionVersion): Observable<ActionResult | null> {
    return this.run(
      v.model,
      {
        title: `Load ${v.ref}?`,
        question: `Warm ${v.ref} in every inference worker without serving it.`,
        changes: [{ label: 'Status', from: v.status, to: statusAfterLoad(v.status, 'load') }],
        notes: [
          'A later deploy of this version switches without a cold start. What serves now does not change.',
        ],
        confirmLabel: 'Load',
      },
      () => this.models.load(v.ref),
      (r) => `${r.ref} is ${r.status}.`,
    );
  }

  unload(v: ActionVersion): Observable<ActionResult | null> {
    return this.run(
      v.model,
      {
        title: `Unload ${v.ref}?`,
        question: `Release ${v.ref} from the workers' memory.`,
        changes: [{ label: 'Status', from: v.status, to: statusAfterLoad(v.status, 'unload') }],
        notes: ['It stays registered and can be loaded or deployed again later.'],
        confirmLabel: 'Unload',
      },
      () => this.models.unload(v.ref),
      (r) => `${r.ref} is ${r.status}.`,
    );
  }

  deploy(v: ActionVersion, servingRef: string | null): Observable<ActionResult | null> {
    return this.run(
      v.model,
      {
        title: `Deploy ${v.ref}?`,
        question: servingRef
          ? `Serve ${v.ref} instead of ${servingRef}?`
          : `Serve ${v.ref}? No version of ${v.model} is serving now.`,
        changes: [{ label: `${v.model} serves`, from: servingRef, to: v.ref }],
        notes: [`Every inference worker switches to it; predictions for ${v.model} use it from then on.`],
        confirmLabel: 'Deploy',
        askReason: true,
      },
      (reason) => this.lifecycle.deploy(v.ref, { reason }),
      (r) => `${r.model} now serves ${r.to}${r.from ? ` (was ${r.from})` : ''}.`,
    );
  }

  /** `target`: the version that served before the current one (what the gateway rolls back to without `to`). */
  rollback(model: string, servingRef: string, target: string): Observable<ActionResult | null> {
    return this.run(
      model,
      {
        title: `Roll back ${model}?`,
        question: `Serve ${target} again instead of ${servingRef}?`,
        changes: [{ label: `${model} serves`, from: servingRef, to: target }],
        notes: ['Every inference worker switches back; the history records it as a rollback.'],
        confirmLabel: 'Roll back',
        askReason: true,
      },
      (reason) => this.lifecycle.rollback({ model, to: target, reason }),
      (r) => `${r.model} rolled back: serves ${r.to} again${r.from ? ` (was ${r.from})` : ''}.`,
    );
  }

  setAlias(v: ActionVersion, aliases: Record<string, string>): Observable<ActionResult | null> {
    const data: AliasDialogData = { model: v.model, to: v.ref, aliases };
    return this.dialog
      .open<AliasDialogComponent, AliasDialogData, AliasDialogResult>(AliasDialogComponent, {
        ...DIALOG,
        data,
      })
      .afterClosed()
      .pipe(
        switchMap((choice) => {
          if (!choice) return of(null);
          return this.call(
            v.model,
            () => this.lifecycle.setAlias(v.model, choice.alias, v.ref, { reason: choice.reason }),
            (r) => `${r.model}@${r.alias} now points at ${r.to}${r.from ? ` (was ${r.from})` : ''}.`,
          );
        }),
      );
  }

  deleteAlias(model: string, alias: string, ref: string): Observable<ActionResult | null> {
    return this.run(
      model,
      {
        title: `Delete the alias ${model}@${alias}?`,
        question: `Remove ${model}@${alias}, which points at ${ref} now.`,
        changes: [{ label: `${model}@${alias}`, from: ref, to: null }],
        notes: [
          `Clients that call ${model}@${alias} get "not found" until it is set again. ${ref} itself is untouched.`,
        ],
        confirmLabel: 'Delete alias',
        destructive: true,
      },
      () => this.lifecycle.deleteAlias(model, alias),
      (r) => `${r.model}@${r.alias} deleted (it pointed at ${r.from}).`,
    );
  }

  archive(v: ActionVersion): Observable<ActionResult | null> {
    return this.run(
      v.model,
      {
        title: `Archive ${v.ref}?`,
        question: `Archive ${v.ref}: it stays in the history but can no longer be loaded, deployed or aliased.`,
        changes: [{ label: 'Status', from: v.status, to: 'retired (archived)' }],
        notes: [
          'The console offers no way to un-archive a version; upload the file again for a new version.',
        ],
        confirmLabel: 'Archive',
        destructive: true,
      },
      () => this.lifecycle.archive(v.ref),
      (r) => `${r.ref} archived.`,
    );
  }

  editTags(v: ActionVersion): Observable<ActionResult | null> {
    const data: TagsDialogData = { ref: v.ref, tags: v.tags };
    return this.dialog
      .open<TagsDialogComponent, TagsDialogData, string[]>(TagsDialogComponent, { ...DIALOG, data })
      .afterClosed()
      .pipe(
        switchMap((tags) =>
          tags
            ? this.call(
                v.model,
                () => this.lifecycle.setTags(v.ref, tags),
                (r) => `${r.ref} tags: ${r.tags.join(', ') || 'none'}.`,
              )
            : of(null),
        ),
      );
  }

  private run<T>(
    model: string,
    confirm: ConfirmDialogData,
    call: (reason: string) => Observable<T>,
    success: (reply: T) => string,
  ): Observable<ActionResult | null> {
    return this.dialog
      .open<ConfirmDialogComponent, ConfirmDialogData, ConfirmResult>(ConfirmDialogComponent, {
        ...DIALOG,
        data: confirm,
      })
      .afterClosed()
      .pipe(switchMap((ok) => (ok ? this.call(model, () => call(ok.reason), success) : of(null))));
  }

  private call<T>(
    model: string,
    call: () => Observable<T>,
    success: (reply: T) => string,
  ): Observable<ActionResult> {
    this.live.noteOwnChange(model);
    return call().pipe(
      map((reply): ActionResult => ({ ok: true, message: success(reply) })),
      catchError((err: unknown) => of<ActionResult>({ ok: false, message: messageOf(err) })),
      tap((r) => {
        if (r.ok) this.snackBar.open(r.message, 'OK', { duration: 6000 });
      }),
    );
  }
}
