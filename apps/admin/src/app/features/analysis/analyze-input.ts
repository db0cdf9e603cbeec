import { SOURCE_NAME_PATTERN } from '@loglens/contracts/protocol';
import { ApiError } from '../../core/api-error';
import { formatBytes } from '../../shared/format';
import {
  type LogInput,
  MAX_ANALYZE_BYTES,
  MAX_ANALYZE_RECORDS,
  formatCount,
  parseLogText,
} from './log-input';

/** Where the logs to analyze come from. */
export type InputMode = 'paste' | 'file';

/** The chosen log file, as far as the browser has read it. */
export type FileState =
  | { status: 'none' }
  | { status: 'reading'; name: string }
  | { status: 'ready'; name: string; input: LogInput }
  | { status: 'error'; message: string };

const STREAM_HINT =
  'Split the log into parts, or stream it to logs.wifi.<site> or logs.generic.<source> and read the windows ' +
  'under Stored results.';

/** The words for a failed analysis: a 413 says which limit and what to do instead. */
export function analyzeErrorText(err: unknown): string {
  if (err instanceof ApiError && err.status === 413) {
    return (
      `The gateway refused this analysis as too large (HTTP 413): ${err.message.replace(/\.$/, '')}. ` +
      `One analysis takes at most ${formatCount(MAX_ANALYZE_RECORDS)} records and ` +
      `${formatBytes(MAX_ANALYZE_BYTES)}. ${STREAM_HINT}`
    );
  }
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/** Why the optional source name cannot be sent, or null when it can (empty included). */
export function sourceError(source: string): string | null {
  return source && !SOURCE_NAME_PATTERN.test(source)
    ? 'The source name may only hold letters, digits, "_" and "-" (at most 64).'
    : null;
}

/** What would be sent now (and what to call it), or why not. */
export function inputToSend(
  mode: InputMode,
  text: string,
  fs: FileState,
): { input: LogInput; what: string } | { error: string } {
  if (mode === 'paste') {
    const parsed = parseLogText(text);
    return parsed.ok ? { input: parsed.input, what: 'the pasted text' } : { error: parsed.error };
  }
  switch (fs.status) {
    case 'none':
      return { error: 'Choose or drop a log file first.' };
    case 'reading':
      return { error: `Still reading ${fs.name}; try again in a moment.` };
    case 'error':
      return { error: fs.message };
    case 'ready':
      return { input: fs.input, what: fs.name };
  }
}
