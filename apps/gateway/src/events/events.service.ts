import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { Observable, Subject, interval, map, merge } from 'rxjs';
import { RegistrySubjects } from '@loglens/contracts';
import { NATS_CONNECTION } from '@loglens/nest-common';

export interface LiveEvent {
  /** the NATS subject, e.g. registry.events.version-deployed.v1 */
  type: string;
  data: unknown;
}

/** Relays registry events from NATS to every SSE client; one subscription however many clients listen. */
@Injectable()
export class EventsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventsService.name);
  private readonly events = new Subject<LiveEvent>();
  private sub?: Subscription;

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  onModuleInit(): void {
    this.sub = this.nc.subscribe(RegistrySubjects.allEvents, {
      callback: (err, msg) => {
        if (err) return this.logger.error(err.message);
        try {
          this.events.next({ type: msg.subject, data: JSON.parse(new TextDecoder().decode(msg.data)) });
        } catch {
          this.logger.warn(`dropped a non-JSON event on ${msg.subject}`);
        }
      },
    });
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
    this.events.complete();
  }

  /** The live stream plus a heartbeat every 15 s, so proxies keep idle connections open. */
  stream(): Observable<{ type: string; data: unknown }> {
    const heartbeat = interval(15_000).pipe(map(() => ({ type: 'heartbeat', data: { at: new Date().toISOString() } })));
    return merge(this.events.asObservable(), heartbeat);
  }
}
