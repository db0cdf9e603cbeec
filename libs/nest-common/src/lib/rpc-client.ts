import { createInbox, ErrorCode as NatsErrorCode, NatsError, type Msg, type MsgHdrs, type NatsConnection } from 'nats';
import { isErrorBody, LogLensError, type ReplyOf, type RequestOf, type RpcSubject } from '@loglens/contracts/protocol';
import { contextWith, failSpan, SpanKind, startSpan, traceHeaders, tracingEnabled } from '@loglens/tracing';

export interface CallOptions {
  timeoutMs?: number;
  /**
   * Extra attempts after a timeout or "no responders". Only for idempotent requests: a timed-out request may
   * still have been executed by the service that received it.
   */
  retries?: number;
  /**
   * Gives up waiting when aborted, with a CANCELLED error: for a caller whose own caller went away. The request may
   * still run on the service that received it; its answer is dropped.
   */
  signal?: AbortSignal;
}

interface ReplyEnvelope {
  response?: unknown;
  err?: unknown;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Request/reply over NATS in the Nest envelope (`{pattern, data, id}` → `{response | err}`), mapping every
 * failure to a LogLensError: the service's typed error, TIMEOUT, or UNAVAILABLE when nobody listens.
 * The subject is typed (`rpc<Req, Rep>()` in the contracts): the request is checked against its request type and the
 * reply comes back as its reply type, with no annotation at the call site.
 */
export class RpcClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly defaultTimeoutMs = 5000,
  ) {}

  async call<S extends RpcSubject>(subject: S, data: RequestOf<S>, options: CallOptions = {}): Promise<ReplyOf<S>> {
    return this.attempts(subject, options, (timeout) => {
      const inbox = this.inboxFor(subject);
      const reply = tracingEnabled() ? this.traced(inbox, subject, data, timeout) : inbox.request(subject, data, timeout).then((raw) => unwrap(subject, raw));
      return (options.signal ? untilAborted(reply, options.signal, subject) : reply) as Promise<ReplyOf<S>>;
    });
  }

  /**
   * A request whose payload is already bytes (no Nest envelope), answered with the reply's bytes as they came: for
   * subjects that carry binary frames (`inference.infer-binary.v1`). Same timeouts, retries and failure codes as call.
   */
  callBytes(subject: RpcSubject, payload: Uint8Array, options: Omit<CallOptions, 'signal'> = {}): Promise<Uint8Array> {
    return this.attempts(subject, options, (timeout) => this.inboxFor(subject).requestBytes(subject, payload, timeout));
  }

  /**
   * Stores a message in the JetStream stream that takes `subject` and resolves once the stream has it (its publish
   * ack; a `Nats-Msg-Id` the stream saw within its duplicate window resolves too: it is stored once). It goes through
   * the client's reply inbox like a request, so a store costs about a publish (nats.js's `js.publish` builds a request
   * object, a timer and an Error per call). UNAVAILABLE when no stream takes the subject or JetStream refuses the
   * message (its reason in the error), TIMEOUT when no ack comes in time.
   */
  async store(subject: string, payload: Uint8Array, options: { headers?: MsgHdrs; timeoutMs?: number } = {}): Promise<void> {
    const raw = await this.attempts(subject, { timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs }, (timeout) => this.inboxFor(subject).requestBytes(subject, payload, timeout, options.headers));
    // the ack: {"stream":"…","seq":n} (with "duplicate":true for a repeated id), or {"error":{"code":…,"description":"…"}}
    const text = decoder.decode(raw);
    if (!text.includes('"error"')) return;
    let reason = text;
    try {
      reason = (JSON.parse(text) as { error?: { description?: string } }).error?.description ?? text;
    } catch {
      // not JSON: the raw reply is the reason
    }
    throw new LogLensError('UNAVAILABLE', `${subject}: JetStream did not store the message: ${reason}`);
  }

  /**
   * One attempt, then one more per `retries` after a TIMEOUT or UNAVAILABLE (any other failure ends at once). An
   * attempt may also throw synchronously (no inbox): that counts as its failure.
   */
  private async attempts<T>(subject: string, options: Omit<CallOptions, 'signal'>, attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    const attempts = 1 + (options.retries ?? 0);
    let lastError: LogLensError | undefined;
    for (let i = 0; i < attempts; i++) {
      try {
        return await attempt(timeout);
      } catch (e) {
        if (!(e instanceof LogLensError) || (e.code !== 'TIMEOUT' && e.code !== 'UNAVAILABLE')) throw e;
        lastError = e;
      }
    }
    throw lastError ?? new LogLensError('INTERNAL', `${subject}: no attempt made`);
  }

  private inbox: ReplyInbox | undefined;

  /** The client's reply inbox, made again after its connection closed; throws UNAVAILABLE when it cannot be made. */
  private inboxFor(subject: string): ReplyInbox {
    if (this.inbox === undefined || this.inbox.closed) {
      try {
        this.inbox = new ReplyInbox(this.nc);
      } catch (e) {
        // a closed or closing connection: nobody can answer through it
        throw new LogLensError('UNAVAILABLE', `${subject}: ${(e as Error).message}`);
      }
    }
    return this.inbox;
  }

  /** The request in a CLIENT span whose context travels in the message's `traceparent` header. */
  private traced(inbox: ReplyInbox, subject: string, data: unknown, timeout: number): Promise<unknown> {
    const span = startSpan(`${subject} request`, {
      kind: SpanKind.CLIENT,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.operation.type': 'send' },
    });
    return inbox.request(subject, data, timeout, traceHeaders(undefined, contextWith(span))).then(
      (raw) => {
        try {
          const response = unwrap(subject, raw);
          span?.end();
          return response;
        } catch (e) {
          failSpan(span, e);
          throw e;
        }
      },
      (e: unknown) => {
        failSpan(span, e);
        throw e;
      },
    );
  }
}

/** The reply's `response`, or its typed error thrown. */
function unwrap(subject: string, raw: Uint8Array): unknown {
  const reply = JSON.parse(decoder.decode(raw)) as ReplyEnvelope;
  if (reply.err !== undefined && reply.err !== null) {
    if (isErrorBody(reply.err)) throw LogLensError.fromBody(reply.err);
    throw new LogLensError('INTERNAL', `${subject} failed: ${JSON.stringify(reply.err)}`);
  }
  return reply.response;
}

interface Pending {
  subject: string;
  timeout: number;
  timer: NodeJS.Timeout;
  resolve: (raw: Uint8Array) => void;
  reject: (e: LogLensError) => void;
}

/**
 * One wildcard inbox subscription per client with its own correlation map: a request is a publish with a reply
 * subject `<inbox>.<n>` plus a map entry and a timer. nats.js's own `request` (also muxed) builds a NatsError with a
 * captured stack on every *successful* request (its RequestOne.cancel) and a deferred, a timer promise and a request
 * object per call; this keeps only what a request needs, and publishes the requests of one event-loop turn in one
 * socket write (publishAll). Failures keep their meaning: a 503 status reply is "no
 * responders" (UNAVAILABLE), a publish refused by the server's permissions (seen on the connection's status) fails the
 * waiting requests to that subject (INTERNAL), a closed connection fails every waiting request (UNAVAILABLE).
 */
class ReplyInbox {
  closed = false;
  private readonly prefix: string;
  private readonly pending = new Map<string, Pending>();
  private next = 0;

  constructor(private readonly nc: NatsConnection) {
    const options = (nc as unknown as { options?: { inboxPrefix?: string } }).options;
    this.prefix = `${createInbox(options?.inboxPrefix)}.`;
    const sub = nc.subscribe(`${this.prefix}*`, { callback: (err, m) => (err ? this.failAll(err) : this.onReply(m)) });
    void sub.closed.then(() => this.close('the NATS connection closed'));
    void this.watchPermissions();
  }

  request(subject: string, data: unknown, timeout: number, headers?: MsgHdrs): Promise<Uint8Array> {
    const token = (this.next++).toString(36);
    return this.send(token, subject, encoder.encode(JSON.stringify({ pattern: subject, data, id: token })), timeout, headers);
  }

  /** A payload sent as it is (a binary frame), its reply's bytes returned as they are. */
  requestBytes(subject: string, payload: Uint8Array, timeout: number, headers?: MsgHdrs): Promise<Uint8Array> {
    return this.send((this.next++).toString(36), subject, payload, timeout, headers);
  }

  private send(token: string, subject: string, payload: Uint8Array, timeout: number, headers?: MsgHdrs): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new LogLensError('TIMEOUT', `${subject} did not answer within ${timeout} ms`));
      }, timeout);
      this.pending.set(token, { subject, timeout, timer, resolve, reject });
      this.outbox.push({ token, subject, payload, headers });
      if (this.outbox.length === 1) setImmediate(this.publishAll);
    });
  }

  /**
   * The requests made since the last call, published together: nats.js writes what was published up to its next
   * microtask in one socket write, so requests made by separate I/O callbacks (one per HTTP request) would each cost
   * a write of their own. Published after the I/O callbacks of this turn of the event loop instead, they share one.
   */
  private readonly outbox: { token: string; subject: string; payload: Uint8Array; headers: MsgHdrs | undefined }[] = [];
  private readonly publishAll = (): void => {
    const batch = this.outbox.splice(0);
    for (const { token, subject, payload, headers } of batch) {
      const p = this.pending.get(token);
      if (p === undefined) continue; // settled already (the connection closed, or a timeout of 0)
      try {
        this.nc.publish(subject, payload, headers ? { reply: this.prefix + token, headers } : { reply: this.prefix + token });
      } catch (e) {
        this.settle(token);
        const code = e instanceof NatsError ? e.code : undefined;
        if (code === NatsErrorCode.MaxPayloadExceeded) {
          p.reject(new LogLensError('PAYLOAD_TOO_LARGE', `request to ${subject} exceeds the NATS payload limit`));
        } else {
          p.reject(new LogLensError('UNAVAILABLE', `${subject}: ${(e as Error).message}`));
        }
      }
    }
  };

  private onReply(m: Msg): void {
    const p = this.settle(m.subject.slice(this.prefix.length));
    if (p === undefined) return; // timed out already
    if (m.data.length === 0 && m.headers?.code === 503) {
      p.reject(new LogLensError('UNAVAILABLE', `no service is answering ${p.subject}`));
    } else {
      p.resolve(m.data);
    }
  }

  private settle(token: string): Pending | undefined {
    const p = this.pending.get(token);
    if (p === undefined) return undefined;
    this.pending.delete(token);
    clearTimeout(p.timer);
    return p;
  }

  /** A publish the server refused (permissions) fails the requests waiting on that subject, as nats.js's request did. */
  private async watchPermissions(): Promise<void> {
    for await (const s of this.nc.status()) {
      const ctx = (s as { permissionContext?: { operation: string; subject: string } }).permissionContext;
      if (s.type !== 'error' || s.data !== NatsErrorCode.PermissionsViolation || ctx === undefined) continue;
      if (ctx.operation !== 'publish') continue;
      for (const [token, p] of this.pending) {
        if (p.subject !== ctx.subject) continue;
        this.settle(token);
        // a deployment error (the permission table), not a transient one: never retried
        p.reject(new LogLensError('INTERNAL', `this service's NATS credential may not call ${p.subject}`));
      }
    }
  }

  private failAll(err: NatsError): void {
    this.close(`the reply inbox failed: ${err.message}`);
  }

  private close(why: string): void {
    this.closed = true;
    for (const [token, p] of this.pending) {
      this.settle(token);
      p.reject(new LogLensError('UNAVAILABLE', `${p.subject}: ${why}`));
    }
  }
}

/** `work`, or a CANCELLED error as soon as `signal` aborts (the work's own outcome is then ignored). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, subject: string): Promise<T> {
  const cancelled = () => new LogLensError('CANCELLED', `stopped waiting for ${subject}: the request was cancelled`);
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(cancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
