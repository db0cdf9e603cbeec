import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Subscription } from 'rxjs';
import type { ApiKeyRole } from '@loglens/contracts/protocol';
import { AuthData } from './data/auth.data';
import { ApiError } from './api-error';
import { ApiKeyStore } from './api-key.store';

export type RoleState =
  | { status: 'no-key' }
  | { status: 'loading' }
  | { status: 'known'; role: ApiKeyRole }
  | { status: 'error'; message: string };

/** Who the stored key belongs to: drives which actions the console offers (the gateway enforces them anyway). */
@Injectable({ providedIn: 'root' })
export class SessionService {
  private readonly api = inject(AuthData);
  private readonly keys = inject(ApiKeyStore);
  private pending?: Subscription;

  private readonly _roleState = signal<RoleState>({ status: 'no-key' });
  readonly roleState = this._roleState.asReadonly();
  readonly role = computed(() => {
    const s = this._roleState();
    return s.status === 'known' ? s.role : null;
  });
  /** operator and admin keys may change things (deploy, upload, aliases…); a viewer only reads */
  readonly canChange = computed(() => {
    const role = this.role();
    return role === 'operator' || role === 'admin';
  });

  /** admin keys also manage keys and read the audit log */
  readonly isAdmin = computed(() => this.role() === 'admin');

  constructor() {
    inject(DestroyRef).onDestroy(() => this.pending?.unsubscribe());
    this.refresh();
  }

  /** Saves a new key and asks the gateway what it may do. */
  useKey(key: string): void {
    this.keys.set(key);
    this.refresh();
  }

  refresh(): void {
    this.pending?.unsubscribe();
    if (!this.keys.key()) {
      this._roleState.set({ status: 'no-key' });
      return;
    }
    this._roleState.set({ status: 'loading' });
    this.pending = this.api.whoami().subscribe({
      next: ({ role }) => this._roleState.set({ status: 'known', role }),
      error: (err: unknown) =>
        this._roleState.set({
          status: 'error',
          message: err instanceof ApiError ? err.message : String(err),
        }),
    });
  }
}
