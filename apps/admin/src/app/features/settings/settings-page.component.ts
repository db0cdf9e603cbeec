import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { ApiKeyStore } from '../../core/api-key.store';
import { SessionService } from '../../core/session.service';

const ROLE_HELP = {
  viewer: 'can read models, history, performance and health, and run predictions, but change nothing.',
  operator:
    'can also upload, validate, load, unload, deploy and roll back versions, move aliases and archive versions.',
  admin: 'has every permission.',
} as const;

@Component({
  selector: 'll-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressSpinnerModule],
  template: `
    <section class="page" aria-labelledby="settings-title">
      <header class="page-header"><h1 id="settings-title">Settings</h1></header>

      <form class="key-form" (submit)="$event.preventDefault(); save()">
        <mat-form-field class="key-field">
          <mat-label>Gateway API key</mat-label>
          <input
            matInput
            [type]="reveal() ? 'text' : 'password'"
            autocomplete="off"
            spellcheck="false"
            [value]="draft()"
            (input)="draft.set($any($event.target).value)"
            aria-describedby="key-help"
          />
          <mat-hint id="key-help"
            >Sent as the x-api-key header; stored in this browser's localStorage only.</mat-hint
          >
        </mat-form-field>
        <div class="buttons">
          <button mat-button type="button" (click)="reveal.set(!reveal())" [attr.aria-pressed]="reveal()">
            {{ reveal() ? 'Hide' : 'Show' }}
          </button>
          <button mat-flat-button type="submit" [disabled]="!dirty()">Save</button>
          <button mat-stroked-button type="button" (click)="clear()" [disabled]="!keys.key()">Clear</button>
        </div>
      </form>

      <h2 class="section-title">Role</h2>
      <div class="role" role="status" aria-live="polite">
        @switch (session.roleState().status) {
          @case ('no-key') {
            <span class="muted">No key saved. Health works without one; everything else needs a key.</span>
          }
          @case ('loading') {
            <mat-spinner diameter="20" aria-hidden="true" /> <span>Checking the key…</span>
          }
          @case ('known') {
            <span
              >This key is <strong>{{ role() }}</strong
              >: it {{ roleHelp() }}</span
            >
          }
          @case ('error') {
            <span class="error">{{ roleError() }}</span>
            <button mat-stroked-button type="button" (click)="session.refresh()">Check again</button>
          }
        }
      </div>
    </section>
  `,
  styles: `
    .key-form {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: 8px 16px;
    }
    .key-field {
      flex: 1 1 320px;
      max-width: 520px;
    }
    .buttons {
      display: flex;
      gap: 8px;
      padding-top: 8px;
    }
    .role {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 12px;
      min-height: 40px;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class SettingsPageComponent {
  protected readonly keys = inject(ApiKeyStore);
  protected readonly session = inject(SessionService);

  protected readonly draft = signal(this.keys.key());
  protected readonly reveal = signal(false);
  protected readonly dirty = computed(() => this.draft().trim() !== this.keys.key());

  protected readonly role = this.session.role;
  protected readonly roleHelp = computed(() => {
    const role = this.role();
    return role ? ROLE_HELP[role] : '';
  });
  protected readonly roleError = computed(() => {
    const s = this.session.roleState();
    return s.status === 'error' ? s.message : '';
  });

  protected save(): void {
    this.session.useKey(this.draft());
    this.draft.set(this.keys.key());
  }

  protected clear(): void {
    this.session.useKey('');
    this.draft.set('');
  }
}
