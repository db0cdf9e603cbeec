import { ErrorCode as NatsErrorCode, NatsError, type NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { isErrorBody, LogLensError } from '@loglens/contracts';

export interface CallOptions {
  timeoutMs?: number;
  /**
   * Extra attempts after a timeout or "no responders". Only for idempotent requests: a timed-out request may
   * still have been executed by the service that received it.
   */
  retries?: number;
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
 */
export class RpcClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly defaultTimeoutMs = 5000,
  ) {}

  async call<TReply>(subject: string, data: object, options: CallOptions = {}): Promise<TReply> {
    const timeout = options.timeoutMs ?? this.defaultTimeoutMs;
    const attempts = 1 + (options.retries ?? 0);
    let lastError: LogLensError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        return await this.once<TReply>(subject, data, timeout);
      } catch (e) {
        if (!(e instanceof LogLensError) || (e.code !== 'TIMEOUT' && e.code !== 'UNAVAILABLE')) throw e;
        lastError = e;
      }
    }
    throw lastError ?? new LogLensError('INTERNAL', `${subject}: no attempt made`);
  }

  private async once<TReply>(subject: string, data: object, timeout: number): Promise<TReply> {
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
    return reply.response as TReply;
  }
}
