import { ANALYZE_MAX_RECORDS } from '@loglens/contracts/protocol';
import { formatBytes } from '../../shared/format';

/** Records one analysis may carry (the contract's limit, checked again by the gateway). */
export const MAX_ANALYZE_RECORDS = ANALYZE_MAX_RECORDS;
/** The gateway's JSON body limit (BODY_LIMIT 10mb = 10 × 1024 × 1024 bytes). */
export const MAX_ANALYZE_BYTES = 10 * 1024 * 1024;

/** Log lines ready to send: one raw-line record per non-blank line. */
export interface LogInput {
  records: string[];
  /** 1-based line number in the pasted text or file of each record (blank lines are skipped) */
  lineNumbers: number[];
  /** size of the request body (the records as a JSON array, UTF-8) */
  bodyBytes: number;
  /** blank lines left out */
  blankLines: number;
}

export type ParsedLogInput = { ok: true; input: LogInput } | { ok: false; error: string };

const STREAM_HINT =
  'Split it into parts, or stream it to JetStream (logs.wifi.<site> or logs.generic.<source>, e.g. with ' +
  '`npm run replay`) and read the windows under Stored results.';

/** UTF-8 length of a string without encoding it (TextEncoder is missing in some test environments). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** `12,345`: thousands separated the same way whatever the browser's locale, so messages read alike everywhere. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Splits pasted text or a file's content into records, one per line (`\n`, `\r\n` or `\r`), leaving out blank lines
 * and trailing whitespace, and checks the gateway's limits before anything is sent: at most 10,000 records and a
 * 10 MiB body. `what` names the input in messages ("The text", "server.log").
 */
export function parseLogText(text: string, what = 'The text'): ParsedLogInput {
  const records: string[] = [];
  const lineNumbers: number[] = [];
  let blankLines = 0;
  const lines = text.split(/\r\n|\n|\r/);
  // a final newline ends the last line; it does not start an empty one
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (const [i, line] of lines.entries()) {
    const record = line.trimEnd();
    if (record.trim() === '') {
      blankLines++;
      continue;
    }
    records.push(record);
    lineNumbers.push(i + 1);
  }
  if (records.length === 0) {
    return { ok: false, error: `${what} has no log lines: paste or choose a log with one record per line.` };
  }
  if (records.length > MAX_ANALYZE_RECORDS) {
    return {
      ok: false,
      error:
        `${what} has ${formatCount(records.length)} log lines; at most ${formatCount(MAX_ANALYZE_RECORDS)} can be ` +
        `analyzed at once. ${STREAM_HINT}`,
    };
  }
  // the body is a JSON array of strings: quotes and backslashes are escaped, so it can outgrow the text itself
  let bodyBytes = 2 + Math.max(0, records.length - 1);
  for (const r of records) bodyBytes += utf8Length(JSON.stringify(r));
  if (bodyBytes > MAX_ANALYZE_BYTES) {
    return {
      ok: false,
      error:
        `${what} would make a ${formatBytes(bodyBytes)} request (as JSON, with quotes escaped); the gateway accepts ` +
        `at most ${formatBytes(MAX_ANALYZE_BYTES)}. ${STREAM_HINT}`,
    };
  }
  return { ok: true, input: { records, lineNumbers, bodyBytes, blankLines } };
}

/** Refuses a file too large to send before reading it into memory; null when its size is fine. */
export function checkFileSize(file: Pick<File, 'name' | 'size'>): string | null {
  if (file.size <= MAX_ANALYZE_BYTES) return null;
  return (
    `${file.name} is ${formatBytes(file.size)}; at most ${formatBytes(MAX_ANALYZE_BYTES)} can be analyzed at once. ` +
    STREAM_HINT
  );
}

/** Reads a dropped or chosen log file in the browser and splits it into records (nothing is uploaded yet). */
export async function readLogFile(file: File): Promise<ParsedLogInput> {
  const tooLarge = checkFileSize(file);
  if (tooLarge) return { ok: false, error: tooLarge };
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, error: `Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (text.includes('\u0000')) {
    return { ok: false, error: `${file.name} looks like a binary file, not a text log.` };
  }
  return parseLogText(text, file.name);
}
