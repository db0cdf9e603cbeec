import { Logger } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { HealthSubjects, type HealthPingReply, type ServiceName } from '@loglens/contracts';

export interface ServiceIdentity {
  service: ServiceName;
  instanceId: string;
  startedAt: string;
}

type DetailsSource = () => unknown;

/**
 * Answers the gateway's health scatter-gather on a plain subscription (no queue group), so every instance
 * replies and the gateway can count instances per service.
 */
export class HealthResponder {
  private readonly logger = new Logger('health');
  private readonly sources = new Map<string, DetailsSource>();
  private sub?: Subscription;
  private degradedReason: string | null = null;
  /** set while the app's own request subscriptions are not in place yet (see {@link startMicroservice}) */
  private starting = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly identity: ServiceIdentity,
  ) {}

  /** Adds a section to this instance's health details (e.g. the versions a worker serves). */
  addDetails(name: string, source: DetailsSource): void {
    this.sources.set(name, source);
  }

  setDegraded(reason: string | null): void {
    this.degradedReason = reason;
  }

  /**
   * Answers `degraded` ("starting") until {@link listening}: the health subscription exists from module init, before
   * the service subscribes to its request subjects, and a caller told "up" then would find no one answering.
   */
  startingUp(): void {
    this.starting = true;
  }

  listening(): void {
    this.starting = false;
  }

  start(): void {
    this.sub = this.nc.subscribe(HealthSubjects.ping, {
      callback: (_err, msg) => {
        if (!msg.reply) return;
        try {
          msg.respond(new TextEncoder().encode(JSON.stringify(this.reply())));
        } catch (e) {
          this.logger.error(`health reply failed: ${(e as Error).message}`);
        }
      },
    });
  }

  stop(): void {
    this.sub?.unsubscribe();
  }

  private reply(): HealthPingReply {
    const details: Record<string, unknown> = {};
    for (const [name, source] of this.sources) details[name] = source();
    const reason = this.starting ? 'starting: not yet subscribed to its request subjects' : this.degradedReason;
    if (reason) details['degradedReason'] = reason;
    return {
      service: this.identity.service,
      instanceId: this.identity.instanceId,
      status: reason ? 'degraded' : 'up',
      startedAt: this.identity.startedAt,
      details,
    };
  }
}
