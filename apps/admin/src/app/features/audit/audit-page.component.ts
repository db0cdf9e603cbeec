import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { AuditEntryDto, ListAuditRequest } from '@loglens/contracts';
import { AuthData } from '../../core/data/auth.data';
import { localToIso } from '../../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';

/** The actions the audit log records, for the filter (docs/security.md lists them with their routes). */
export const AUDIT_ACTIONS = [
  'version.',
  'version.upload',
  'version.validate',
  'version.deploy',
  'version.load',
  'version.unload',
  'version.archive',
  'version.tags',
  'model.rollback',
  'alias.',
  'alias.set',
  'alias.delete',
  'job.train',
  'source.',
  'source.bind',
  'source.unbind',
  'key.',
  'key.create',
  'key.revoke',
] as const;

/** The audit log (admin only): every state change made through a gateway, newest first, refusals included. */
@Component({
  selector: 'll-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, IconComponent, LoadStateComponent],
  template: `
    <section class="page" aria-labelledby="audit-title">
      <header class="page-header">
        <h1 id="audit-title">Audit log</h1>
        <button mat-stroked-button type="button" (click)="audit.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
      </header>
      <p class="muted intro">
        Every change made through the gateway — uploads, validations, deploys, rollbacks, aliases, tags, train jobs, source
        bindings, keys — with the key that made it, where from, and how it ended (refused attempts included).
      </p>
      <form class="filters" aria-label="Filter the audit log" (submit)="$event.preventDefault()">
        <mat-form-field>
          <mat-label>Key (name or id)</mat-label>
          <input matInput name="actor" autocomplete="off" [value]="actor()" (change)="actor.set($any($event.target).value.trim())" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Action</mat-label>
          <mat-select [value]="action()" (selectionChange)="action.set($event.value)">
            <mat-option value="">All actions</mat-option>
            @for (a of actions; track a) {
              <mat-option [value]="a">{{ a.endsWith('.') ? a + '*' : a }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>From</mat-label>
          <input matInput type="datetime-local" [value]="from()" (change)="from.set($any($event.target).value)" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>To</mat-label>
          <input matInput type="datetime-local" [value]="to()" (change)="to.set($any($event.target).value)" />
        </mat-form-field>
      </form>
      <ll-load-state
        [state]="audit.state()"
        [empty]="entries().length === 0"
        loadingText="Loading the audit log…"
        failedText="Could not load the audit log."
        emptyText="No audited changes with these filters."
        (retry)="audit.reload()"
      />
      @if (entries().length > 0) {
        <table class="audit" aria-label="Audit entries, newest first">
          <thead>
            <tr><th>When</th><th>Key</th><th>Action</th><th>Target</th><th>Request</th><th>From</th><th>Outcome</th></tr>
          </thead>
          <tbody>
            @for (e of entries(); track e.id) {
              <tr [class.refused]="e.status >= 400">
                <td><time [attr.datetime]="e.at" [title]="e.at | date: 'full'">{{ e.at | date: 'medium' }}</time></td>
                <td><span class="actor">{{ e.actorName }}</span> <span class="muted">({{ e.role }})</span></td>
                <td><span class="action-chip">{{ e.action }}</span></td>
                <td><code>{{ e.target ?? '—' }}</code></td>
                <td class="muted"><code>{{ e.method }} {{ e.route }}</code></td>
                <td>{{ e.clientIp }}</td>
                <td class="outcome">{{ e.status }}{{ e.errorCode ? ' ' + e.errorCode : '' }}</td>
              </tr>
            }
          </tbody>
        </table>
        @if (nextCursor()) {
          <button mat-stroked-button type="button" class="more" (click)="more()">Older entries</button>
        }
      }
    </section>
  `,
  styles: `
    .intro { margin-top: -8px; max-width: 900px; }
    .filters { display: flex; flex-wrap: wrap; align-items: center; gap: 0 16px; margin-bottom: 8px; }
    .filters mat-form-field { width: 210px; }
    .audit { border-collapse: collapse; width: 100%; }
    .audit th, .audit td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--mat-sys-outline-variant); vertical-align: top; }
    .actor { font-weight: 600; }
    .action-chip { padding: 1px 8px; border-radius: 10px; font: var(--mat-sys-label-medium); background: var(--mat-sys-primary-container); color: var(--mat-sys-on-primary-container); }
    .refused .outcome { color: var(--mat-sys-error); font-weight: 600; }
    .more { margin-top: 12px; }
  `,
})
export class AuditPageComponent {
  private readonly api = inject(AuthData);

  protected readonly actions = AUDIT_ACTIONS;
  protected readonly actor = signal('');
  protected readonly action = signal('');
  protected readonly from = signal('');
  protected readonly to = signal('');
  /** older pages appended by "Older entries"; cleared when a filter changes */
  private readonly older = signal<AuditEntryDto[]>([]);
  private readonly olderCursor = signal<string | null | undefined>(undefined);

  protected readonly audit = createLoader(
    (q: ListAuditRequest) => {
      this.older.set([]);
      this.olderCursor.set(undefined);
      return this.api.audit(q);
    },
    () => ({ actor: this.actor() || undefined, action: this.action() || undefined, from: localToIso(this.from()), to: localToIso(this.to()), limit: 100 }),
  );
  protected readonly entries = computed(() => [...(this.audit.value()?.entries ?? []), ...this.older()]);
  protected readonly nextCursor = computed(() => (this.olderCursor() === undefined ? (this.audit.value()?.nextCursor ?? null) : this.olderCursor()));

  protected more(): void {
    const cursor = this.nextCursor();
    if (!cursor) return;
    this.api
      .audit({ actor: this.actor() || undefined, action: this.action() || undefined, from: localToIso(this.from()), to: localToIso(this.to()), limit: 100, cursor })
      .subscribe((page) => {
        this.older.update((o) => [...o, ...page.entries]);
        this.olderCursor.set(page.nextCursor);
      });
  }
}
