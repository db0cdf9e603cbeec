import type { ServiceName } from './subjects';

/** Asks every instance of every service to say it is alive. */
export class HealthPingRequest {}

export interface HealthPingReply {
  service: ServiceName;
  instanceId: string;
  status: 'up' | 'degraded';
  startedAt: string;
  details?: Record<string, unknown>;
}

/** The gateway's /health/ready body. */
export interface ReadinessDto {
  ready: boolean;
  services: Record<ServiceName, { up: boolean; instances: number; status?: string; details?: Record<string, unknown>[] }>;
  missing: ServiceName[];
}
