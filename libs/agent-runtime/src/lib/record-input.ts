import type { LogRecordInput } from '@loglens/contracts';
import type { PipelineInput } from './pipeline';

/** Lines longer than this are cut to it (and flagged), so one huge line costs no more than this many characters. */
export const DEFAULT_MAX_LINE_CHARS = 64 * 1024;

/**
 * A request record (raw line or object) as pipeline input; a record without a message is an error, not a crash. A
 * message longer than `maxLineChars` is truncated and flagged, never dropped.
 */
export function toPipelineInput(record: LogRecordInput, fallbackSource: string, maxLineChars = DEFAULT_MAX_LINE_CHARS): PipelineInput | { error: string } {
  const input = readRecord(record, fallbackSource);
  if ('error' in input || input.message.length <= maxLineChars) return input;
  return { ...input, message: input.message.slice(0, maxLineChars), truncated: true };
}

function readRecord(record: LogRecordInput, fallbackSource: string): PipelineInput | { error: string } {
  if (typeof record === 'string') return { message: record, time: null, source: fallbackSource };
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { error: 'a record must be a log line (string) or an object with a "message"' };
  }
  const { message, timestamp, source, host, ...fields } = record;
  if (typeof message !== 'string' || message.length === 0) return { error: 'the record has no "message" string' };
  let time: number | null = null;
  if (typeof timestamp === 'number' && Number.isFinite(timestamp)) time = timestamp < 1e12 ? timestamp * 1000 : timestamp;
  else if (typeof timestamp === 'string') {
    const parsed = Date.parse(timestamp);
    if (Number.isNaN(parsed)) return { error: `timestamp "${timestamp}" is not a date` };
    time = parsed;
  } else if (timestamp !== undefined && timestamp !== null) return { error: 'timestamp must be an ISO date or epoch seconds/ms' };
  return {
    message,
    time,
    source: typeof source === 'string' && source ? source : fallbackSource,
    ...(typeof host === 'string' ? { host } : {}),
    ...(Object.keys(fields).length ? { fields } : {}),
  };
}
