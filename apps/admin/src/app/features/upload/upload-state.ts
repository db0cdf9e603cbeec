import { type HttpEvent, HttpEventType } from '@angular/common/http';
import type { CommitUploadReply, ValidationCheckDto } from '@loglens/contracts';
import { ApiError } from '../../core/api-error';
import { formatBytes } from '../../shared/format';

/** Where an upload is: sending the bytes, waiting for the server's checks, and how it ended. */
export type UploadState =
  | { step: 'idle' }
  | { step: 'uploading'; loaded: number; total: number | null }
  | { step: 'validating' }
  | { step: 'done'; reply: CommitUploadReply; duplicate: boolean }
  | { step: 'refused'; message: string; checks: ValidationCheckDto[] }
  | { step: 'error'; message: string };

/**
 * The state an upload's HTTP event moves to, or null for an event that changes nothing. Once every byte is sent the
 * server validates (a test inference in a worker); a 200 means the same bytes were already registered.
 */
export function stateOfEvent(event: HttpEvent<CommitUploadReply>): UploadState | null {
  switch (event.type) {
    case HttpEventType.UploadProgress: {
      const total = event.total ?? null;
      return total !== null && event.loaded >= total
        ? { step: 'validating' }
        : { step: 'uploading', loaded: event.loaded, total };
    }
    case HttpEventType.Response:
      return event.body ? { step: 'done', reply: event.body, duplicate: event.status === 200 } : null;
    default:
      return null;
  }
}

/** A 422 is the registry refusing the file, with its checks; anything else is a failed upload. */
export function stateOfError(err: unknown): UploadState {
  if (err instanceof ApiError && err.status === 422)
    return { step: 'refused', message: err.message, checks: err.checks };
  return { step: 'error', message: err instanceof Error ? err.message : String(err) };
}

/** Sending or validating: a second submit waits. */
export function isBusy(s: UploadState): boolean {
  return s.step === 'uploading' || s.step === 'validating';
}

/** Percent sent, when the total is known. */
export function progressPercent(s: UploadState): number | null {
  return s.step === 'uploading' && s.total ? Math.round((s.loaded / s.total) * 100) : null;
}

/** "40 B of 100 B (40 %)", or only what was sent when the total is unknown. */
export function progressText(s: UploadState): string {
  if (s.step !== 'uploading') return '';
  return s.total
    ? `${formatBytes(s.loaded)} of ${formatBytes(s.total)} (${progressPercent(s)} %)`
    : formatBytes(s.loaded);
}
