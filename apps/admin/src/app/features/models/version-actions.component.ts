import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type { HistoryEntryDto, ModelSummaryDto, ModelVersionDto } from '@loglens/contracts';
import { type VersionAction, type VersionFacts, actionState, refusal } from '@loglens/contracts/protocol';
import { SessionService } from '../../core/session.service';
import { IconComponent } from '../../shared/icon.component';
import { ModelActions } from '../../shared/actions/model-actions.service';
import { VersionActionRunner } from './version-action-runner';

/**
 * What a rollback without `to` would serve: the registry takes the `from` of the latest serving change, provided
 * that change is what serves now. Null when there is nothing to roll back to.
 */
export function rollbackTarget(entries: HistoryEntryDto[], servingRef: string | null): string | null {
  const last = entries.find((e) => e.kind === 'serving');
  return last && servingRef && last.to === servingRef ? last.from : null;
}

interface ButtonState {
  enabled: boolean;
  reason: string | null;
}

/**
 * A version's action bar: every action for operators, greyed out with the registry's reason when the lifecycle table
 * refuses it (or it would change nothing); a note for viewers; the last refusal.
 */
@Component({
  selector: 'll-version-actions',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButtonModule, MatTooltipModule, IconComponent],
  template: `
    @if (session.canChange()) {
      @let v = version();
      @let busy = runner.busy();
      <div class="actions" role="group" aria-label="Actions on this version">
        <button
          mat-flat-button
          type="button"
          disabledInteractive
          [disabled]="busy || !can().deploy.enabled"
          [matTooltip]="can().deploy.reason ?? ''"
          (click)="can().deploy.enabled && runner.run(actions.deploy(v, servingRef()))"
        >
          Deploy
        </button>
        @if (rollbackTo(); as target) {
          <button
            mat-flat-button
            type="button"
            disabledInteractive
            [disabled]="busy || !target.enabled"
            [matTooltip]="target.reason ?? ''"
            (click)="target.enabled && runner.run(actions.rollback(v.model, v.ref, target.ref))"
          >
            Roll back to {{ target.ref }}
          </button>
        }
        @for (b of plainButtons; track b.action) {
          <button
            mat-stroked-button
            type="button"
            disabledInteractive
            [class.danger]="b.action === 'archive'"
            [disabled]="busy || !can()[b.action].enabled"
            [matTooltip]="can()[b.action].reason ?? ''"
            (click)="can()[b.action].enabled && run(b.action)"
          >
            {{ b.label }}
          </button>
        }
        @if (experiment(); as e) {
          @if (e.enabled) {
            <a
              mat-stroked-button
              routerLink="/experiments/new"
              [queryParams]="{ model: v.model, candidate: v.ref }"
              >Start an experiment…</a
            >
          } @else {
            <button
              mat-stroked-button
              type="button"
              disabled
              [matTooltip]="e.reason ?? ''"
              disabledInteractive
            >
              Start an experiment…
            </button>
          }
        }
        @if (busy) {
          <span class="muted" role="status">Working…</span>
        }
      </div>
      @if (hints().length) {
        <ul class="hints muted">
          @for (h of hints(); track h) {
            <li>{{ h }}</li>
          }
        </ul>
      }
    } @else if (session.role() === 'viewer') {
      <p class="muted viewer-note">
        Your key is a viewer key: you can read everything here but change nothing.
      </p>
    }
    @if (runner.error(); as message) {
      <div class="action-error" role="alert">
        <span>{{ message }}</span>
        <button mat-icon-button type="button" aria-label="Dismiss the error" (click)="runner.error.set(null)">
          <ll-icon name="close" />
        </button>
      </div>
    }
  `,
  styles: `
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin-bottom: 8px;
    }
    .danger {
      --mat-button-outlined-label-text-color: var(--mat-sys-error);
    }
    .hints {
      margin: 0 0 12px;
      padding-left: 18px;
    }
    .action-error {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 4px 4px 4px 16px;
      margin-bottom: 16px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
})
export class VersionActionsComponent {
  protected readonly actions = inject(ModelActions);
  protected readonly session = inject(SessionService);
  protected readonly runner = inject(VersionActionRunner);

  readonly version = input.required<ModelVersionDto>();
  /** the version's model (serving version, aliases, other versions), when it could be read */
  readonly model = input<ModelSummaryDto | null>(null);
  /** the model's recent history: only for the rollback target */
  readonly history = input<HistoryEntryDto[]>([]);

  protected readonly plainButtons = [
    { action: 'load', label: 'Load' },
    { action: 'unload', label: 'Unload' },
    { action: 'validate', label: 'Validate' },
    { action: 'alias', label: 'Set alias…' },
    { action: 'tags', label: 'Tags…' },
    { action: 'archive', label: 'Archive' },
  ] as const;

  protected readonly servingRef = computed(() => this.model()?.servingVersion ?? null);

  /** The lifecycle facts of this version, as the registry judges them. */
  private readonly facts = computed<VersionFacts>(() => {
    const v = this.version();
    return { ref: v.ref, status: v.status, archived: !!v.archivedAt, aliases: v.aliases };
  });

  /** Each action's button: enabled, or greyed out with the reason, from the one lifecycle table the registry enforces. */
  protected readonly can = computed(() => {
    const f = this.facts();
    const state = (action: VersionAction): ButtonState => actionState(action, f);
    return {
      deploy: state('deploy'),
      load: state('load'),
      unload: state('unload'),
      validate: state('validate'),
      alias: state('alias-target'),
      tags: state('tag'),
      archive: state('archive'),
    };
  });

  /** An experiment with this version as the candidate: only when another version serves (the control). */
  protected readonly experiment = computed<ButtonState | null>(() => {
    if (!this.servingRef()) return null;
    return actionState('experiment-candidate', this.facts());
  });

  /** The rollback offered on the serving version: its target, and whether the table lets that version serve again. */
  protected readonly rollbackTo = computed(() => {
    const v = this.version();
    if (v.ref !== this.servingRef()) return null;
    const ref = rollbackTarget(this.history(), this.servingRef());
    if (!ref) return null;
    const target = this.model()?.versions.find((o) => o.ref === ref);
    const { enabled, reason } = target
      ? actionState('rollback-target', {
          ref,
          status: target.status,
          archived: !!target.archivedAt,
          aliases: target.aliases,
        })
      : { enabled: true, reason: null };
    return { ref, enabled, reason };
  });

  protected readonly hints = computed(() => {
    const f = this.facts();
    const hints: string[] = [];
    if (f.status === 'serving') hints.push('This version is serving now.');
    const deploy = refusal('deploy', f);
    if (deploy) hints.push(`${deploy}.`);
    if (!f.archived && f.status !== 'serving' && f.aliases.length > 0)
      hints.push(`Move or delete its aliases (${f.aliases.join(', ')}) before archiving it.`);
    return hints;
  });

  protected run(action: (typeof this.plainButtons)[number]['action']): void {
    const v = this.version();
    switch (action) {
      case 'load':
        return this.runner.run(this.actions.load(v));
      case 'unload':
        return this.runner.run(this.actions.unload(v));
      case 'validate':
        return this.runner.run(this.actions.validate(v));
      case 'alias':
        return this.runner.run(this.actions.setAlias(v, this.model()?.aliases ?? {}));
      case 'tags':
        return this.runner.run(this.actions.editTags(v));
      case 'archive':
        return this.runner.run(this.actions.archive(v));
    }
  }
}
