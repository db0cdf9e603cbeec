import { LogLensApiError, LogLensUnreachableError } from '@loglens/client';

/** The CLI's exit codes (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** bad command line, unreadable input file, config problems */
  usage: 1,
  /** the gateway refused the request (4xx: bad input, bad key, not found, conflict) */
  api4xx: 2,
  /** the gateway failed (5xx) or could not be reached */
  api5xxOrUnreachable: 3,
  /** a validation or analysis ran and its verdict was negative (`validate` failed, `analyze --fail-on-anomaly`) */
  verdict: 4,
} as const;

export class UsageError extends Error {}

export function exitCodeOf(e: unknown): number {
  if (e instanceof LogLensApiError) return e.status >= 500 ? EXIT.api5xxOrUnreachable : EXIT.api4xx;
  if (e instanceof LogLensUnreachableError) return EXIT.api5xxOrUnreachable;
  return EXIT.usage;
}

export function messageOf(e: unknown): string {
  if (e instanceof LogLensApiError) {
    const details = e.body?.details?.length ? `\n  ${e.body.details.join('\n  ')}` : '';
    return `error: ${e.message}${details}`;
  }
  return `error: ${(e as Error)?.message ?? String(e)}`;
}
