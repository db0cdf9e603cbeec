import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import type { ApiKeyDto, ApiKeyRole, CreatedApiKeyReply } from '@loglens/contracts';
import { API_KEY_ROLES } from '@loglens/contracts/protocol';
import { filter, switchMap } from 'rxjs';
import { ApiError } from '../../core/api-error';
import { AuthData } from '../../core/data/auth.data';
import { ConfirmDialogComponent, type ConfirmDialogData, type ConfirmResult } from '../../shared/confirm-dialog.component';
import { formatAgo } from '../../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';

function messageOf(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/**
 * The gateway's API keys (admin only): who has which role, when each key was last used; create one (the key is shown
 * this once: only its hash is stored) or revoke one (every gateway refuses it within seconds).
 */
@Component({
  selector: 'll-keys-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, IconComponent, LoadStateComponent],
  template: `
    <section class="page" aria-labelledby="keys-title">
      <header class="page-header">
        <h1 id="keys-title">API keys</h1>
        <button mat-stroked-button type="button" (click)="keys.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
      </header>
      <p class="muted intro">
        Keys for people and programs: a viewer reads, an operator changes models, an admin also manages keys and reads the
        audit log. Only a hash of each key is stored, so a key is shown once, when it is created.
      </p>

      <form class="create" aria-label="Create a key" (submit)="$event.preventDefault(); create()">
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput name="name" maxlength="64" autocomplete="off" placeholder="ci-deployer" [value]="name()" (input)="name.set($any($event.target).value)" />
          <mat-hint>what the key is for</mat-hint>
        </mat-form-field>
        <mat-form-field class="role">
          <mat-label>Role</mat-label>
          <mat-select [value]="role()" (selectionChange)="role.set($event.value)">
            @for (r of roles; track r) {
              <mat-option [value]="r">{{ r }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <button mat-flat-button type="submit" [disabled]="!name().trim() || creating()">Create key</button>
      </form>
      @if (createError()) {
        <p class="error" role="alert">{{ createError() }}</p>
      }

      @if (created(); as c) {
        <div class="created" role="status" aria-live="polite">
          <p>
            <strong>{{ c.name }}</strong> ({{ c.role }}) was created. Copy the key now: it is not shown again.
          </p>
          <div class="key-line">
            <code class="new-key">{{ c.key }}</code>
            <button mat-stroked-button type="button" (click)="copy(c.key)">{{ copied() ? 'Copied' : 'Copy' }}</button>
          </div>
          <button mat-button type="button" (click)="created.set(null)">Done</button>
        </div>
      }

      <ll-load-state
        [state]="keys.state()"
        [empty]="list().length === 0"
        loadingText="Loading the keys…"
        failedText="Could not load the keys."
        emptyText="No stored keys yet (keys from API_KEYS are not listed)."
        (retry)="keys.reload()"
      />
      @if (list().length > 0) {
        <table class="keys" aria-label="Active API keys">
          <thead>
            <tr><th>Name</th><th>Role</th><th>Fingerprint</th><th>Created</th><th>Last used</th><th></th></tr>
          </thead>
          <tbody>
            @for (k of list(); track k.id) {
              <tr>
                <td class="name">{{ k.name }}</td>
                <td><span class="role-chip role-{{ k.role }}">{{ k.role }}</span></td>
                <td><code>{{ k.fingerprint }}</code></td>
                <td><time [attr.datetime]="k.createdAt" [title]="k.createdAt | date: 'full'">{{ k.createdAt | date: 'medium' }}</time> by {{ k.createdBy }}</td>
                <td>{{ k.lastUsedAt ? ago(k.lastUsedAt) : 'never' }}</td>
                <td><button mat-stroked-button type="button" class="revoke" (click)="revoke(k)" [attr.aria-label]="'Revoke ' + k.name">Revoke</button></td>
              </tr>
            }
          </tbody>
        </table>
      }
    </section>
  `,
  styles: `
    .intro { margin-top: -8px; max-width: 900px; }
    .create { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 16px; }
    .create mat-form-field { width: 260px; }
    .create .role { width: 150px; }
    .error { color: var(--mat-sys-error); }
    .created {
      margin: 8px 0 16px;
      padding: 12px 16px;
      border-radius: 8px;
      max-width: 900px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .key-line { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; }
    .new-key { font-size: 1.05em; word-break: break-all; user-select: all; }
    .keys { border-collapse: collapse; width: 100%; max-width: 1100px; }
    .keys th, .keys td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--mat-sys-outline-variant); }
    .keys .name { font-weight: 600; }
    .role-chip { padding: 1px 8px; border-radius: 10px; font: var(--mat-sys-label-medium); background: var(--mat-sys-secondary-container); color: var(--mat-sys-on-secondary-container); }
    .role-admin { background: var(--mat-sys-error-container); color: var(--mat-sys-on-error-container); }
  `,
})
export class KeysPageComponent {
  private readonly api = inject(AuthData);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly roles = API_KEY_ROLES;
  protected readonly name = signal('');
  protected readonly role = signal<ApiKeyRole>('viewer');
  protected readonly creating = signal(false);
  protected readonly createError = signal('');
  protected readonly created = signal<CreatedApiKeyReply | null>(null);
  protected readonly copied = signal(false);

  protected readonly keys = createLoader(() => this.api.keys());
  protected readonly list = computed(() => this.keys.value()?.keys ?? []);

  protected create(): void {
    const name = this.name().trim();
    if (!name) return;
    this.creating.set(true);
    this.createError.set('');
    this.api.createKey(name, this.role()).subscribe({
      next: (k) => {
        this.creating.set(false);
        this.copied.set(false);
        this.created.set(k);
        this.name.set('');
        this.keys.reload();
      },
      error: (err: unknown) => {
        this.creating.set(false);
        this.createError.set(messageOf(err));
      },
    });
  }

  protected copy(key: string): void {
    void navigator.clipboard?.writeText(key).then(
      () => this.copied.set(true),
      () => this.snackBar.open('The browser did not allow copying: select the key and copy it by hand.', 'OK', { duration: 6000 }),
    );
  }

  protected revoke(k: ApiKeyDto): void {
    const data: ConfirmDialogData = {
      title: `Revoke ${k.name}?`,
      question: `Revoke the ${k.role} key "${k.name}" (fingerprint ${k.fingerprint})?`,
      notes: ['Every gateway refuses it, and the event-stream tokens made with it, within seconds. This cannot be undone.'],
      confirmLabel: 'Revoke',
      destructive: true,
    };
    this.dialog
      .open<ConfirmDialogComponent, ConfirmDialogData, ConfirmResult>(ConfirmDialogComponent, { width: '520px', maxWidth: '95vw', autoFocus: 'first-tabbable', data })
      .afterClosed()
      .pipe(
        filter((ok) => !!ok),
        switchMap(() => this.api.revokeKey(k.id)),
      )
      .subscribe({
        next: () => {
          this.snackBar.open(`${k.name} was revoked.`, 'OK', { duration: 6000 });
          this.keys.reload();
        },
        error: (err: unknown) => this.snackBar.open(messageOf(err), 'OK', { duration: 10_000 }),
      });
  }

  protected ago(at: string): string {
    return formatAgo(at);
  }
}
