import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import {
  HealthSubjects,
  SERVICE_NAMES,
  type ReadinessDto,
  type ServiceName,
} from '@loglens/contracts';
import { NATS_CONNECTION, scatterGather } from '@loglens/nest-common';

/** Services the gateway needs before it calls itself ready. */
const REQUIRED: ServiceName[] = ['registry', 'inference-worker', 'agent-base', 'agent-wifi'];

@Injectable()
export class HealthService {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  /** Scatter-gather over NATS: every instance of every service answers within the window. */
  async readiness(windowMs = 400): Promise<ReadinessDto> {
    const replies = await scatterGather(this.nc, HealthSubjects.ping, windowMs);
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
    return { status: missing.length === 0 ? 'ready' : 'not-ready', ready: missing.length === 0, services, missing };
  }
}
