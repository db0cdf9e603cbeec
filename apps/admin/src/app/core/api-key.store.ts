import { Injectable, signal } from '@angular/core';

export const API_KEY_STORAGE_KEY = 'loglens.admin.apiKey';

function readStoredKey(): string {
  try {
    return localStorage.getItem(API_KEY_STORAGE_KEY) ?? '';
  } catch {
    // storage can be disabled (private mode, sandboxed iframe): the console still works for this tab
    return '';
  }
}

/** The gateway API key, kept in localStorage so it survives reloads. */
@Injectable({ providedIn: 'root' })
export class ApiKeyStore {
  private readonly _key = signal(readStoredKey());
  readonly key = this._key.asReadonly();

  set(key: string): void {
    const trimmed = key.trim();
    this._key.set(trimmed);
    try {
      if (trimmed) localStorage.setItem(API_KEY_STORAGE_KEY, trimmed);
      else localStorage.removeItem(API_KEY_STORAGE_KEY);
    } catch {
      // see readStoredKey
    }
  }

  clear(): void {
    this.set('');
  }
}
