import type { ConsumerDeserializer, IncomingEvent, IncomingRequest } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';

/** Marks a payload that was not JSON, so the validation pipe can answer a typed error instead of dropping it. */
export const UNPARSEABLE_PAYLOAD = Symbol.for('loglens.unparseable-payload');

/**
 * Accepts both Nest's envelope (`{pattern, data, id}`) and a plain JSON body, so any NATS client
 * (`nats req registry.model.list.v1 '{}'`) gets an answer. Garbage never throws inside the transport,
 * where an exception would become an unhandled rejection instead of a reply.
 */
export class ContractDeserializer implements ConsumerDeserializer {
  deserialize(value: Uint8Array, options?: { channel?: string; replyTo?: string }): IncomingRequest | IncomingEvent {
    const channel = options?.channel ?? '';
    let parsed: unknown;
    try {
      parsed = value.length === 0 ? {} : JSON.parse(Buffer.from(value).toString('utf8'));
    } catch {
      return this.wrap(channel, UNPARSEABLE_PAYLOAD, options?.replyTo);
    }
    if (typeof parsed === 'object' && parsed !== null && 'pattern' in parsed && 'data' in parsed) {
      const env = parsed as { pattern: unknown; data: unknown; id?: unknown };
      if (typeof env.id === 'string') return { pattern: channel, data: env.data, id: env.id };
      return this.wrap(channel, env.data, options?.replyTo);
    }
    return this.wrap(channel, parsed, options?.replyTo);
  }

  private wrap(channel: string, data: unknown, replyTo: string | undefined): IncomingRequest | IncomingEvent {
    return replyTo ? { pattern: channel, data, id: randomUUID() } : { pattern: channel, data };
  }
}
