import { IngestError } from './errors';
import { MAX_RECORDS_PER_REQUEST, capMessage, normaliseTimestamp, type IngestRecord } from './record';
import { chooseAgent, sourceToken, type AgentKindInput, type InputRouting } from './routing';

export interface BulkInputOptions {
  routing: InputRouting;
  maxLineBytes: number;
  /** `?source=`; a record object's own `source` wins */
  source?: string;
  agent?: AgentKindInput;
}

const JSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json', 'application/json-seq']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A bulk upload as records. `application/x-ndjson` / `application/json`: one JSON object (`{message, timestamp?,
 * host?, source?, …fields}`) or string per line, or one JSON array; `text/plain`: every line is a log line; any other
 * type (curl's default form type included): a line that parses as an object with `message` is one, any other is
 * text. The whole body is checked before anything is published, so a refused upload can be fixed and sent again.
 */
export function bulkToRecords(body: Uint8Array, contentType: string, options: BulkInputOptions): { records: IngestRecord[]; truncated: number } {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const mode = JSON_TYPES.has(type) ? 'json' : type === 'text/plain' ? 'text' : 'auto';
  const fallbackSource = sourceToken(options.source, 'bulk');
  const out = { records: [] as IngestRecord[], truncated: 0 };
  const push = (record: IngestRecord) => {
    if (out.records.length >= MAX_RECORDS_PER_REQUEST) {
      throw new IngestError('PAYLOAD_TOO_LARGE', `at most ${MAX_RECORDS_PER_REQUEST} records per upload; split the file`);
    }
    const capped = capMessage(record, options.maxLineBytes);
    if (capped !== record) out.truncated++;
    out.records.push(capped);
  };
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let first = 0;
  while (first < buf.length && (buf[first] === 0x20 || buf[first] === 0x0a || buf[first] === 0x0d || buf[first] === 0x09)) first++;
  if (mode === 'json' && buf[first] === 0x5b /* [ */) {
    let items: unknown;
    try {
      items = JSON.parse(decode(buf, 0, buf.length, 1));
    } catch (e) {
      if (e instanceof IngestError) throw e;
      throw new IngestError('INVALID_BODY', `the body is not a JSON array: ${(e as Error).message}`);
    }
    if (!Array.isArray(items)) throw new IngestError('INVALID_BODY', 'the body is not a JSON array');
    items.forEach((item, i) => push(fromValue(item, `record ${i + 1}`, fallbackSource, options)));
    return out;
  }
  let line = 0;
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    line++;
    let stop = end;
    if (stop > start && buf[stop - 1] === 0x0d) stop--;
    const text = decode(buf, start, stop, line);
    start = end + 1;
    if (!text.trim()) continue;
    if (mode === 'text') {
      push({ message: text, source: fallbackSource, agent: chooseAgent(options.routing, fallbackSource, undefined, options.agent) });
      continue;
    }
    let value: unknown = text;
    if (mode === 'json' || text.trimStart().startsWith('{')) {
      try {
        value = JSON.parse(text);
      } catch (e) {
        if (mode === 'json') throw new IngestError('INVALID_BODY', `line ${line}: not JSON (${(e as Error).message}); send text/plain for raw lines`);
      }
      if (mode === 'auto' && (typeof value !== 'object' || value === null || typeof (value as { message?: unknown }).message !== 'string')) value = text;
    }
    push(fromValue(value, `line ${line}`, fallbackSource, options));
  }
  return out;
}

function decode(buf: Buffer, start: number, end: number, line: number): string {
  try {
    return utf8.decode(buf.subarray(start, end));
  } catch {
    throw new IngestError('INVALID_UTF8', `line ${line} is not valid UTF-8 (bytes ${start}–${end}); send UTF-8 text`);
  }
}

function fromValue(value: unknown, where: string, fallbackSource: string, options: BulkInputOptions): IngestRecord {
  if (typeof value === 'string') {
    if (!value) throw new IngestError('INVALID_BODY', `${where}: an empty log line`);
    return { message: value, source: fallbackSource, agent: chooseAgent(options.routing, fallbackSource, undefined, options.agent) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IngestError('INVALID_BODY', `${where}: a record is a log line (string) or an object with "message"`);
  }
  const { message, timestamp, host, source, ...rest } = value as Record<string, unknown>;
  if (typeof message !== 'string' || !message) throw new IngestError('INVALID_BODY', `${where}: the object has no "message" string`);
  const record: IngestRecord = { message, source: fallbackSource, agent: 'base' };
  if (timestamp !== undefined && timestamp !== null) {
    const iso = normaliseTimestamp(timestamp);
    if (!iso) throw new IngestError('INVALID_BODY', `${where}: timestamp ${JSON.stringify(timestamp).slice(0, 60)} is not an ISO date or epoch seconds/ms`);
    record.timestamp = iso;
  }
  if (typeof host === 'string' && host) record.host = host;
  if (typeof source === 'string' && source) record.source = sourceToken(source, fallbackSource);
  const program = typeof rest['program'] === 'string' ? rest['program'] : typeof rest['appName'] === 'string' ? rest['appName'] : undefined;
  record.agent = chooseAgent(options.routing, record.source, program, options.agent);
  const fields: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (v === null || v === undefined) continue;
    fields[k] = typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
  }
  if (Object.keys(fields).length) record.fields = fields;
  return record;
}
