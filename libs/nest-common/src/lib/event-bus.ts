import { Logger } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { validateMessage } from '@loglens/contracts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Plain JSON events over core NATS. Used for broadcasts every instance must see (deploys), which a Nest
 * microservice with a queue group would load-balance instead (see FACTS.md).
 */
export class EventBus {
  private readonly logger = new Logger('events');

  constructor(private readonly nc: NatsConnection) {}

  publish(subject: string, event: object): void {
    this.nc.publish(subject, encoder.encode(JSON.stringify(event)));
  }

  /** Subscribes with validation; a bad event is logged and skipped, a failing handler never kills the loop. */
  subscribe<T extends object>(
    subject: string,
    cls: new () => T,
    handler: (event: T, subject: string) => Promise<void> | void,
    options: { queue?: string } = {},
  ): Subscription {
    return this.nc.subscribe(subject, {
      queue: options.queue,
      callback: (err, msg) => {
        if (err) {
          this.logger.error(`subscription ${subject} failed: ${err.message}`);
          return;
        }
        let event: T;
        try {
          event = validateMessage(cls, JSON.parse(decoder.decode(msg.data)));
        } catch (e) {
          this.logger.warn(`skipped an invalid event on ${msg.subject}: ${(e as Error).message}`);
          return;
        }
        Promise.resolve()
          .then(() => handler(event, msg.subject))
          .catch((e: unknown) => this.logger.error(`handler for ${msg.subject} failed: ${(e as Error).message}`));
      },
    });
  }
}
