import { createInbox, headers, type Msg, type NatsConnection, type NatsError, type Subscription } from 'nats';
import { LOG_BATCH_HEADER, LOG_BATCH_MAX_BYTES, LOG_BATCH_MAX_RECORDS } from '@loglens/contracts';
import { IngestError } from './errors';
import { encodeRecord, type IngestRecord } from './record';
import { subjectOf } from './routing';
import { traceHeaders } from '@loglens/tracing';

export interface LogPublisherOptions {
  /** publishes awaiting JetStream's ack at once (the window); further callers wait for room */
  maxInFlight?: number;
  /** records that may wait for room before batch callers are refused with OVERLOADED (429) */
  maxQueued?: number;
  /** how long one publish waits for JetStream's ack */
  ackTimeoutMs?: number;
  /** records per batch message of `publishAll` at most (default LOG_BATCH_MAX_RECORDS; 1: one message per record) */
  batchRecords?: number;
  /** where acks are received; default: the connection's own `inboxPrefix` (per-service NATS permissions allow only it) */
  inboxPrefix?: string;
}

export interface OutgoingRecord {
  record: IngestRecord;
  /** JetStream message id: a retried request re-publishing the same ids is stored once (LOGS' duplicate window) */
  msgID?: string;
}

/**
 * Writes records to the LOGS stream and only reports success once JetStream has stored them (its publish ack). Back-pressure is a
 * bounded window of unacknowledged publishes: callers wait for room (TCP stops reading its socket meanwhile), batch
 * callers beyond `maxQueued` are refused at once, and JetStream errors come back as IngestErrors a sender can act on
 * (STREAM_FULL → 429, STREAM_UNAVAILABLE → 503), never swallowed.
 */
export class LogPublisher {
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  private readonly ackTimeoutMs: number;
  private readonly batchRecords: number;
  private inFlightCount = 0;
  private queuedCount = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  // JetStream acks arrive on one wildcard inbox, matched by token; timeouts are swept, not one timer per message.
  // (nats.js's js.publish builds a request with its own timer and throws away an Error per message: a third of
  // the CPU of a publish here.)
  private readonly inbox: string;
  private nextToken = 0;
  private readonly acks = new Map<string, { at: number; resolve: () => void; reject: (e: IngestError) => void }>();
  private sub?: Subscription;
  private sweeper?: ReturnType<typeof setInterval>;
  /** records stored, per outcome; read by the metrics */
  readonly counters = { published: 0, failed: 0, refused: 0 };

  constructor(
    private readonly nc: NatsConnection,
    options: LogPublisherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 2048;
    this.maxQueued = options.maxQueued ?? 200_000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.batchRecords = Math.max(1, options.batchRecords ?? LOG_BATCH_MAX_RECORDS);
    this.inbox = createInbox(options.inboxPrefix ?? (nc as unknown as { options?: { inboxPrefix?: string } }).options?.inboxPrefix);
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  /** records waiting for room in the window */
  get queued(): number {
    return this.queuedCount;
  }

  /** true when a new publish would have to wait */
  get saturated(): boolean {
    return this.inFlightCount >= this.maxInFlight;
  }

  /** Publishes one record once there is room; resolves when stored, rejects with an IngestError. */
  publish(item: OutgoingRecord): Promise<void> {
    return this.publishMessage(outgoingMessage(item));
  }

  /**
   * The messages `publishAll` would send for these records (each subject's records in order, as record batches of
   * at most `batchRecords`): for a caller that publishes, retries and counts each message on its own
   * (`publishMessage`), as syslog does with the frames of one read.
   */
  batch(records: readonly OutgoingRecord[]): OutgoingMessage[] {
    return batchBySubject(records, this.batchRecords);
  }

  /** Publishes one message (a record or a batch) once there is room; `queued` counts its records while it waits. */
  async publishMessage(message: OutgoingMessage): Promise<void> {
    if (this.inFlightCount >= this.maxInFlight) {
      this.queuedCount += message.records;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      this.queuedCount -= message.records;
    }
    return this.send(message);
  }

  /**
   * Publishes a request's records, all stored or an error: refused up front (OVERLOADED) when too much already
   * waits; on a JetStream error the remaining records are not sent and the error is thrown once those in flight
   * have settled, so a retry of the same request (same message ids) completes it without duplicates.
   *
   * The records of one subject travel as record batches (LOG_BATCH_HEADER, in their order, at most `batchRecords`
   * records and LOG_BATCH_MAX_BYTES each): one stored message per batch, not per record. A batch's message id is its
   * first record's with the count (`<id>+<n>`), so the same request batches the same way and a retry is stored once.
   */
  async publishAll(records: OutgoingRecord[]): Promise<void> {
    if (this.queuedCount + records.length > this.maxQueued && this.queuedCount > 0) {
      this.counters.refused += records.length;
      throw new IngestError('OVERLOADED', `${this.queuedCount} records are already waiting to be stored; retry shortly`);
    }
    const items = batchBySubject(records, this.batchRecords);
    let failure: IngestError | null = null;
    const pending: Promise<void>[] = [];
    this.queuedCount += records.length;
    let i = 0;
    let left = records.length;
    try {
      for (; i < items.length && !failure; i++) {
        if (this.inFlightCount >= this.maxInFlight) await new Promise<void>((resolve) => this.waiters.push(resolve));
        this.queuedCount -= items[i].records;
        left -= items[i].records;
        if (failure) {
          i++;
          break;
        }
        pending.push(
          this.send(items[i]).catch((e: unknown) => {
            failure ??= e instanceof IngestError ? e : classifyPublishError(e);
          }),
        );
      }
    } finally {
      this.queuedCount -= left;
    }
    await Promise.all(pending);
    if (failure) throw failure;
  }

  /** Resolves when nothing is in flight or waiting (shutdown). */
  idle(): Promise<void> {
    if (this.inFlightCount === 0 && this.queuedCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops listening for acks; publishes still waiting for one fail as STREAM_UNAVAILABLE. */
  close(): void {
    this.sub?.unsubscribe();
    this.sub = undefined;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const [token, ack] of this.acks) {
      this.acks.delete(token);
      ack.reject(new IngestError('STREAM_UNAVAILABLE', 'the publisher was closed before JetStream acknowledged'));
    }
  }

  private async send(item: OutgoingMessage): Promise<void> {
    this.inFlightCount++;
    try {
      await this.publishWithAck(item.subject, item.data, item.msgID, item.records);
      this.counters.published += item.records;
    } catch (e) {
      this.counters.failed += item.records;
      throw classifyPublishError(e);
    } finally {
      this.inFlightCount--;
      this.waiters.shift()?.();
      if (this.inFlightCount === 0 && this.queuedCount === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private publishWithAck(subject: string, data: Uint8Array, msgID: string | undefined, records: number): Promise<void> {
    this.listen();
    const token = (this.nextToken++).toString(36);
    return new Promise<void>((resolve, reject) => {
      this.acks.set(token, { at: Date.now(), resolve, reject });
      try {
        const own = msgID || records > 1 ? headers() : undefined;
        if (msgID) own?.set('Nats-Msg-Id', msgID);
        if (records > 1) own?.set(LOG_BATCH_HEADER, String(records));
        // the record carries the producer's trace (an HTTP request, a syslog batch) to the agent that analyses it
        const h = traceHeaders(own);
        this.nc.publish(subject, data, { reply: `${this.inbox}.${token}`, ...(h ? { headers: h } : {}) });
      } catch (e) {
        this.acks.delete(token);
        reject(e);
      }
    });
  }

  private listen(): void {
    if (this.sub) return;
    this.sub = this.nc.subscribe(`${this.inbox}.*`, { callback: (err, msg) => this.onAck(err, msg) });
    this.sweeper = setInterval(() => this.sweep(), 250);
    this.sweeper.unref?.();
  }

  private onAck(err: NatsError | null, msg: Msg): void {
    if (err) return;
    const token = msg.subject.slice(this.inbox.length + 1);
    const ack = this.acks.get(token);
    if (!ack) return;
    this.acks.delete(token);
    // a status message: 503 = no stream listens on the subject (JetStream down or LOGS missing)
    if (msg.headers?.hasError) {
      ack.reject(classifyPublishError({ code: String(msg.headers.code), message: msg.headers.description || String(msg.headers.code) }));
      return;
    }
    const text = decoder.decode(msg.data);
    if (!text.includes('"error"')) {
      ack.resolve();
      return;
    }
    let description = text;
    try {
      description = (JSON.parse(text) as { error?: { description?: string } }).error?.description ?? text;
    } catch {
      // not JSON: keep the raw reply as the reason
    }
    ack.reject(classifyPublishError({ code: 'JETSTREAM', message: description, api_error: { description } }));
  }

  private sweep(): void {
    const expired = Date.now() - this.ackTimeoutMs;
    // insertion order is publish order: stop at the first that is still in time
    for (const [token, ack] of this.acks) {
      if (ack.at > expired) break;
      this.acks.delete(token);
      ack.reject(new IngestError('STREAM_UNAVAILABLE', `JetStream did not acknowledge within ${this.ackTimeoutMs} ms; retry later`));
    }
  }
}

const decoder = new TextDecoder();

/** A JetStream publish error as what the sender should do: wait for space (429) or for the service (503). */
export function classifyPublishError(e: unknown): IngestError {
  if (e instanceof IngestError) return e;
  // nats.js reports a JetStream refusal as code "503" with the reason in api_error (e.g. 10077 maximum messages exceeded)
  const apiError = (e as { api_error?: { description?: string } })?.api_error?.description ?? '';
  const text = `${(e as { code?: string })?.code ?? ''} ${(e as Error)?.message ?? String(e)} ${apiError}`;
  if (/maximum (messages|bytes)|resource limits|insufficient (storage )?resources|storage .*exceeded|per subject/i.test(text)) {
    return new IngestError('STREAM_FULL', `the LOGS stream is full (${apiError || (e as Error).message}); retry later`);
  }
  if (/\b503\b|no responders/i.test(text)) return new IngestError('STREAM_UNAVAILABLE', 'JetStream did not answer (no LOGS stream or JetStream down); retry later');
  if (/timeout/i.test(text)) return new IngestError('STREAM_UNAVAILABLE', 'JetStream did not acknowledge in time; retry later');
  return new IngestError('STREAM_UNAVAILABLE', `publishing to JetStream failed: ${(e as Error)?.message ?? String(e)}`);
}

/** One message on its way to the stream: a record, or a batch of one subject's records. */
export interface OutgoingMessage {
  subject: string;
  data: Uint8Array;
  msgID?: string;
  records: number;
}

function outgoingMessage(item: OutgoingRecord): OutgoingMessage {
  return { subject: subjectOf(item.record), data: encodeRecord(item.record), ...(item.msgID ? { msgID: item.msgID } : {}), records: 1 };
}

const NEWLINE = 0x0a;

/**
 * The records as messages: each subject's records in their order, cut into batches of at most `maxRecords` records
 * and LOG_BATCH_MAX_BYTES bytes (a record is never split; an encoded record holds no newline: it is JSON).
 */
export function batchBySubject(records: readonly OutgoingRecord[], maxRecords: number): OutgoingMessage[] {
  const bySubject = new Map<string, { data: Uint8Array; msgID?: string }[]>();
  for (const item of records) {
    const subject = subjectOf(item.record);
    let list = bySubject.get(subject);
    if (!list) bySubject.set(subject, (list = []));
    list.push({ data: encodeRecord(item.record), ...(item.msgID ? { msgID: item.msgID } : {}) });
  }
  const out: OutgoingMessage[] = [];
  for (const [subject, list] of bySubject) {
    for (let i = 0; i < list.length; ) {
      let n = 0;
      let bytes = 0;
      while (i + n < list.length && n < maxRecords && (n === 0 || bytes + 1 + list[i + n].data.length <= LOG_BATCH_MAX_BYTES)) {
        bytes += (n === 0 ? 0 : 1) + list[i + n].data.length;
        n++;
      }
      const first = list[i];
      if (n === 1) out.push({ subject, data: first.data, ...(first.msgID ? { msgID: first.msgID } : {}), records: 1 });
      else {
        const data = new Uint8Array(bytes);
        let at = 0;
        for (let k = 0; k < n; k++) {
          if (k > 0) data[at++] = NEWLINE;
          data.set(list[i + k].data, at);
          at += list[i + k].data.length;
        }
        out.push({ subject, data, ...(first.msgID ? { msgID: `${first.msgID}+${n}` } : {}), records: n });
      }
      i += n;
    }
  }
  return out;
}
