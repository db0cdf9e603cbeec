import type { MsgHdrs, NatsConnection } from 'nats';
import { JetStreamNames, LOG_BATCH_HEADER, splitLogBatch, type LogRecordInput } from '@loglens/contracts';
import { logSubjectCountsOf } from './log-stream';

export interface StreamRecords {
  records: LogRecordInput[];
  /** message time of the first and last record read */
  first: number | null;
  last: number | null;
  /** which agent's subjects the records came from */
  kinds: Array<'base' | 'wifi'>;
  truncated: boolean;
}

export interface ReadOptions {
  from?: number;
  to?: number;
  maxLines: number;
  onProgress?: (done: number, total: number) => void;
}

const decoder = new TextDecoder();

/**
 * Reads sources' records back from the LOGS stream (`logs.generic.<source>`, `logs.wifi.<site>`), within a range of
 * message time, in stream order. An ordered consumer per subject (nats-server 2.9 takes one filter subject per
 * consumer), ephemeral: reading leaves no trace on the stream and never takes records from the agents' durables.
 */
export async function readSourceLogs(nc: NatsConnection, sources: readonly string[], o: ReadOptions): Promise<StreamRecords> {
  const subjects: Array<{ subject: string; kind: 'base' | 'wifi'; count: number }> = [];
  for (const source of sources) subjects.push(...(await logSubjectCountsOf(nc, source)));
  const total = subjects.reduce((n, s) => n + s.count, 0);
  const read: Array<{ seq: number; time: number; record: LogRecordInput }> = [];
  const kinds = new Set<'base' | 'wifi'>();
  let scanned = 0;
  let truncated = false;
  const js = nc.jetstream();
  for (const { subject, kind } of subjects) {
    const consumer = await js.consumers.get(JetStreamNames.logs, {
      filterSubjects: subject,
      // the ordered consumer starts at sequence 1 (everything) unless given a start time
      ...(o.from !== undefined ? { opt_start_time: new Date(o.from).toISOString() } : {}),
    });
    let done = false;
    while (!done) {
      const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
      let got = 0;
      for await (const msg of batch) {
        got++;
        scanned++;
        const time = Math.floor(msg.info.timestampNanos / 1e6);
        if (o.to !== undefined && time > o.to) done = true;
        else {
          const records = storedRecordsOf(msg);
          // a malformed record batch: the agents set it aside, so does training
          for (const record of 'error' in records ? [] : records) {
            read.push({ seq: msg.seq, time, record });
            kinds.add(kind);
            if (read.length >= o.maxLines) {
              truncated = true;
              done = true;
              break;
            }
          }
        }
        if (msg.info.pending === 0) done = true;
        if (done) break;
      }
      if (got === 0) done = true;
      o.onProgress?.(scanned, total);
    }
    await consumer.delete().catch(() => undefined);
    if (truncated) break;
  }
  // several subjects: back into one stream order
  read.sort((a, b) => a.seq - b.seq);
  return {
    records: read.map((r) => r.record),
    first: read.reduce<number | null>((m, r) => (m === null || r.time < m ? r.time : m), null),
    last: read.reduce<number | null>((m, r) => (m === null || r.time > m ? r.time : m), null),
    kinds: [...kinds],
    truncated,
  };
}

/**
 * The records a stored LOGS message carries, as the agents read them: one, or each record of a record batch
 * (LOG_BATCH_HEADER); an error names a batch whose body does not hold the records it declares.
 */
export function storedRecordsOf(msg: { data: Uint8Array; headers?: MsgHdrs }): LogRecordInput[] | { error: string } {
  const text = decoder.decode(msg.data);
  const declared = msg.headers?.get(LOG_BATCH_HEADER);
  if (!declared) return [storedRecord(text)];
  const texts = splitLogBatch(text, declared);
  return 'error' in texts ? texts : texts.map(storedRecord);
}

/** A stored record as the agents read it: a `{message, …}` envelope, or the raw line (JSON telemetry included). */
export function storedRecord(text: string): LogRecordInput {
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') return parsed as LogRecordInput;
    } catch {
      // the raw line
    }
  }
  return text;
}

/** Log text as records: NDJSON lines with a "message" become objects, every other non-empty line is a raw line. */
export function recordsOfText(text: string): LogRecordInput[] {
  const records: LogRecordInput[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    if (line.startsWith('{')) {
      try {
        const parsed = JSON.parse(line) as unknown;
        if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
          records.push(parsed as LogRecordInput);
          continue;
        }
      } catch {
        // not JSON after all: the raw line
      }
    }
    records.push(line);
  }
  return records;
}
