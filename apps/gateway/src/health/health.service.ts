import { Inject, Injectable } from '@nestjs/common';
import { RequestStrategy, type NatsConnection } from 'nats';
import {
  HealthSubjects,
  SERVICE_NAMES,
  type HealthPingReply,
  type ReadinessDto,
  type ServiceName,
} from '@loglens/contracts';
import { NATS_CONNECTION } from '@loglens/nest-common';

/** Services the gateway needs before it calls itself ready. */
const REQUIRED: ServiceName[] = ['registry', 'inference-worker', 'agent-base', 'agent-wifi'];

@Injectable()
export class HealthService {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  /** Scatter-gather over NATS: every instance of every service answers within the window. */
  async readiness(windowMs = 400): Promise<ReadinessDto> {
    const replies: HealthPingReply[] = [];
    if (!this.nc.isClosed()) {
      try {
        const iter = await this.nc.requestMany(HealthSubjects.ping, new Uint8Array(), {
          strategy: RequestStrategy.Timer,
          maxWait: windowMs,
        });
        for await (const msg of iter) {
          try {
            replies.push(JSON.parse(new TextDecoder().decode(msg.data)) as HealthPingReply);
          } catch {
            // a malformed reply counts as no reply
          }
        }
      } catch {
        // no responders at all: every service is down
      }
    }
    const services = Object.fromEntries(
      SERVICE_NAMES.map((name) => {
        const mine = replies.filter((r) => r.service === name);
        const up = mine.filter((r) => r.status === 'up');
        const isGateway = name === 'gateway';
        return [
          name,
          {
            up: isGateway || up.length > 0,
            instances: isGateway ? Math.max(1, mine.length) : up.length,
            ...(mine.length && !up.length ? { status: 'degraded' } : {}),
            details: mine.map((r) => ({ instanceId: r.instanceId, status: r.status, ...(r.details ?? {}) })),
          },
        ];
      }),
    ) as unknown as ReadinessDto['services'];
    const missing = REQUIRED.filter((s) => !services[s].up);
    return { ready: missing.length === 0, services, missing };
  }
}
