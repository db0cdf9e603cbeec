import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { Observable, Subject, interval, map, merge } from 'rxjs';
import { AnalysisSubjects, JobSubjects, RegistrySubjects, withoutNamespace } from '@loglens/contracts';
import { NATS_CONNECTION } from '@loglens/nest-common';

export interface LiveEvent {
  /** the NATS subject without the namespace, e.g. registry.events.version-deployed.v1 (the console's event names) */
  type: string;
  data: unknown;
}

/** Relays registry events from NATS to every SSE client; one subscription however many clients listen. */
@Injectable()
export class EventsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventsService.name);
  private readonly events = new Subject<LiveEvent>();
  private readonly subs: Subscription[] = [];

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  onModuleInit(): void {
    // registry lifecycle events (bindings included), train jobs, and the agents' anomalies (JetStream publishes are plain subjects to subscribers)
    for (const subject of [RegistrySubjects.allEvents, JobSubjects.allEvents, AnalysisSubjects.allAnomalies]) {
      this.subs.push(
        this.nc.subscribe(subject, {
          callback: (err, msg) => {
            if (err) return this.logger.error(err.message);
            // no SSE client listening: nothing to decode (agents draining a backlog publish an anomaly per window)
            if (!this.events.observed) return;
            try {
              const type = msg.subject.startsWith(AnalysisSubjects.anomalies) ? withoutNamespace(AnalysisSubjects.anomalies) : (jobEventName(withoutNamespace(msg.subject)) ?? withoutNamespace(msg.subject));
              this.events.next({ type, data: JSON.parse(new TextDecoder().decode(msg.data)) });
            } catch {
              this.logger.warn(`dropped a non-JSON event on ${msg.subject}`);
            }
          },
        }),
      );
    }
  }

  onModuleDestroy(): void {
    for (const s of this.subs) s.unsubscribe();
    this.events.complete();
  }

  /** The live stream plus a heartbeat every 15 s, so proxies keep idle connections open. */
  stream(): Observable<{ type: string; data: unknown }> {
    const heartbeat = interval(15_000).pipe(map(() => ({ type: 'heartbeat', data: { at: new Date().toISOString() } })));
    return merge(this.events.asObservable(), heartbeat);
  }
}

/** `jobs.events.succeeded.v1` → `jobs.succeeded` (the SSE names the console listens for); null for other subjects. */
export function jobEventName(subject: string): string | null {
  const m = /^jobs\.events\.([a-z]+)\.v\d+$/.exec(subject);
  return m ? `jobs.${m[1]}` : null;
}
