/** Lines longer than this (UTF-8 bytes) are cut, flagged `truncated: true` and kept, never dropped. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/**
 * Records one HTTP request may carry (a 10 MiB body of two-byte lines would otherwise be five million publishes held
 * in memory at once); larger uploads are refused with 413 and split by the sender. OTLP SDKs and collectors send
 * batches of a few thousand.
 */
export const MAX_RECORDS_PER_REQUEST = 100_000;

/** At most this many extra fields per record, and this many bytes of them, so one record stays one NATS message. */
const MAX_FIELDS = 64;
const MAX_FIELDS_BYTES = 16 * 1024;
const RESERVED = new Set(['message', 'timestamp', 'source', 'host']);

/**
 * One log record as the inputs produce it. On the stream it travels as the JSON object the agents read
 * (`{message, timestamp?, host?, ...fields}`, see agent-runtime's toPipelineInput); the source is the subject's
 * last token, not a field.
 */
export interface IngestRecord {
  message: string;
  /** ISO 8601 (ms); absent when the sender gave none (the agents then read the line's own or the stream time) */
  timestamp?: string;
  host?: string;
  /** subject-safe source name (see sourceToken) */
  source: string;
  /** the agent whose subject the record goes to */
  agent: 'base' | 'wifi';
  fields?: Record<string, string | number | boolean>;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes on a character boundary. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean; bytes: number } {
  // a string of n UTF-16 units is at most 3n UTF-8 bytes: short lines skip the byte count
  if (text.length * 3 <= maxBytes) return { text, truncated: false, bytes: -1 };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return { text, truncated: false, bytes };
  const buf = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // back off UTF-8 continuation bytes (10xxxxxx) so no character is split
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return { text: buf.toString('utf8', 0, end), truncated: true, bytes };
}

/** Applies the line cap to a record's message, recording the original size when it cuts. */
export function capMessage(record: IngestRecord, maxLineBytes: number): IngestRecord {
  const cut = truncateUtf8(record.message, maxLineBytes);
  if (!cut.truncated) return record;
  return { ...record, message: cut.text, fields: { ...record.fields, truncated: true, originalBytes: cut.bytes } };
}

/** The stream payload of a record: the JSON object the agents' toPipelineInput reads, extra fields flattened. */
export function encodeRecord(record: IngestRecord): Uint8Array {
  const out: Record<string, unknown> = { message: record.message };
  if (record.timestamp) out['timestamp'] = record.timestamp;
  if (record.host) out['host'] = record.host;
  if (record.fields) {
    let n = 0;
    let size = 0;
    for (const [key, value] of Object.entries(record.fields)) {
      if (n >= MAX_FIELDS) break;
      const name = RESERVED.has(key) ? `attr.${key}` : key;
      size += name.length + (typeof value === 'string' ? value.length : 8);
      if (size > MAX_FIELDS_BYTES) break;
      out[name] = value;
      n++;
    }
  }
  return Buffer.from(JSON.stringify(out), 'utf8');
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');

/** Decodes UTF-8; invalid sequences become U+FFFD and `valid` is false (the caller decides: refuse or flag). */
export function decodeUtf8(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: strictDecoder.decode(bytes), valid: true };
  } catch {
    return { text: lenientDecoder.decode(bytes), valid: false };
  }
}

/** A timestamp given as ISO text or epoch seconds / ms as ISO 8601, or null when it is not a date. */
export function normaliseTimestamp(value: unknown): string | null {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e12 ? value * 1000 : value;
  else if (typeof value === 'string' && value.trim()) {
    ms = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Date.parse(value);
    if (/^\d+(\.\d+)?$/.test(value.trim()) && ms < 1e12) ms *= 1000;
  } else return null;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return new Date(ms).toISOString();
}
