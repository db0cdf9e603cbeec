import type { LogRecordInput } from '@loglens/contracts';

/** Text that holds no log records, or a JSON array that does not parse. */
export class LogRecordsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogRecordsError';
  }
}

/**
 * Log records for POST /api/v1/models/analyze from text: a JSON array of records, or one record a line (blank lines
 * skipped; a line that is a JSON object keeps its fields, any other line is the message). The CLI's `analyze` and the
 * MCP server's `analyze_logs` read their input with it.
 */
export function parseLogRecords(text: string): LogRecordInput[] {
  const t = text.trim();
  if (t.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch (e) {
      throw new LogRecordsError(`the input looks like a JSON array but does not parse: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0) throw new LogRecordsError('the JSON array has no records');
    return parsed as LogRecordInput[];
  }
  const records = t
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l): LogRecordInput => {
      if (l.startsWith('{')) {
        try {
          return JSON.parse(l) as LogRecordInput;
        } catch {
          return l;
        }
      }
      return l;
    });
  if (records.length === 0) throw new LogRecordsError('the input has no log lines');
  return records;
}
