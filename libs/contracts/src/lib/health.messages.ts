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

/** What /health/ready tells a caller without a key (probes, load balancers): ready or not, nothing about the services. */
export interface PublicReadinessDto {
  status: 'ready' | 'not-ready';
}

/** The gateway's /health/ready body for a caller with an API key: every service, its instances and details. */
export interface ReadinessDto extends PublicReadinessDto {
  ready: boolean;
  services: Record<ServiceName, { up: boolean; instances: number; status?: string; details?: Record<string, unknown>[] }>;
  missing: ServiceName[];
}
