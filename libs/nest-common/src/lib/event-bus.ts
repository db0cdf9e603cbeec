import { Logger } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { validateMessage, type EventSubject, type PayloadOf } from '@loglens/contracts';
import { contextOf, inSpan, SpanKind, traceHeaders, tracingEnabled } from '@loglens/tracing';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Plain JSON events over core NATS. Used for broadcasts every instance must see (deploys), which a Nest
 * microservice with a queue group would load-balance instead (see FACTS.md).
 */
export class EventBus {
  private readonly logger = new Logger('events');

  constructor(private readonly nc: NatsConnection) {}

  /** The event must be the subject's payload type (`event<Payload>()` in the contracts). */
  publish<S extends EventSubject>(subject: S, event: PayloadOf<S>): void {
    const headers = traceHeaders();
    this.nc.publish(subject, encoder.encode(JSON.stringify(event)), headers ? { headers } : undefined);
  }

  /** Subscribes with validation; a bad event is logged and skipped, a failing handler never kills the loop. */
  subscribe<S extends EventSubject>(
    subject: S,
    cls: new () => PayloadOf<S>,
    handler: (event: PayloadOf<S>, subject: string) => Promise<void> | void,
    options: { queue?: string } = {},
  ): Subscription {
    return this.nc.subscribe(subject, {
      queue: options.queue,
      callback: (err, msg) => {
        if (err) {
          this.logger.error(`subscription ${subject} failed: ${err.message}`);
          return;
        }
        let event: PayloadOf<S>;
        try {
          event = validateMessage(cls as new () => object, JSON.parse(decoder.decode(msg.data))) as PayloadOf<S>;
        } catch (e) {
          this.logger.warn(`skipped an invalid event on ${msg.subject}: ${(e as Error).message}`);
          return;
        }
        const handled = tracingEnabled()
          ? inSpan(`${msg.subject} process`, { kind: SpanKind.CONSUMER, parent: contextOf(msg.headers), attributes: { 'messaging.system': 'nats', 'messaging.destination.name': msg.subject } }, async () => handler(event, msg.subject))
          : Promise.resolve().then(() => handler(event, msg.subject));
        handled.catch((e: unknown) => this.logger.error(`handler for ${msg.subject} failed: ${(e as Error).message}`));
      },
    });
  }
}
