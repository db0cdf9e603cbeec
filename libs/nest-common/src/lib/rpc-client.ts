import { ErrorCode as NatsErrorCode, NatsError, type NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { isErrorBody, LogLensError, type ReplyOf, type RequestOf, type RpcSubject } from '@loglens/contracts';

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
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    const attempts = 1 + (options.retries ?? 0);
    let lastError: LogLensError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        const reply = this.once(subject, data, timeout);
        return (await (options.signal ? untilAborted(reply, options.signal, subject) : reply)) as ReplyOf<S>;
      } catch (e) {
        if (!(e instanceof LogLensError) || (e.code !== 'TIMEOUT' && e.code !== 'UNAVAILABLE')) throw e;
        lastError = e;
      }
    }
    throw lastError ?? new LogLensError('INTERNAL', `${subject}: no attempt made`);
  }

  private async once(subject: string, data: unknown, timeout: number): Promise<unknown> {
    const payload = encoder.encode(JSON.stringify({ pattern: subject, data, id: randomUUID() }));
    let raw: Uint8Array;
    try {
      raw = (await this.nc.request(subject, payload, { timeout })).data;
    } catch (e) {
      const code = e instanceof NatsError ? e.code : undefined;
      if (code === NatsErrorCode.NoResponders) {
        throw new LogLensError('UNAVAILABLE', `no service is answering ${subject}`);
      }
      if (code === NatsErrorCode.Timeout) {
        throw new LogLensError('TIMEOUT', `${subject} did not answer within ${timeout} ms`);
      }
      if (code === NatsErrorCode.PermissionsViolation) {
        // a deployment error (the permission table), not a transient one: never retried
        throw new LogLensError('INTERNAL', `this service's NATS credential may not call ${subject}`);
      }
      if (code === NatsErrorCode.MaxPayloadExceeded) {
        throw new LogLensError('PAYLOAD_TOO_LARGE', `request to ${subject} exceeds the NATS payload limit`);
      }
      throw new LogLensError('UNAVAILABLE', `${subject}: ${(e as Error).message}`);
    }
    const reply = JSON.parse(decoder.decode(raw)) as ReplyEnvelope;
    if (reply.err !== undefined && reply.err !== null) {
      if (isErrorBody(reply.err)) throw LogLensError.fromBody(reply.err);
      throw new LogLensError('INTERNAL', `${subject} failed: ${JSON.stringify(reply.err)}`);
    }
    return reply.response;
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
