import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { hostname } from 'node:os';
import type { ServiceName } from '@loglens/contracts';
import { EventBus } from './event-bus';
import { HealthResponder, type ServiceIdentity } from './health';
import { natsConnectOptions } from './nats-connection';
import { RpcClient } from './rpc-client';
import { natsServers } from './env';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const SERVICE_IDENTITY = Symbol('SERVICE_IDENTITY');

export interface NatsModuleOptions {
  service: ServiceName;
  url: string;
  instanceId?: string;
}

/** One NATS connection per service instance, with the RPC client, event bus and health responder on it. */
@Global()
@Module({})
export class NatsModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('nats');

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly health: HealthResponder,
  ) {}

  static forRoot(options: NatsModuleOptions): DynamicModule {
    const identity: ServiceIdentity = {
      service: options.service,
      instanceId: options.instanceId ?? `${hostname()}-${process.pid}`,
      startedAt: new Date().toISOString(),
    };
    return {
      module: NatsModule,
      providers: [
        { provide: SERVICE_IDENTITY, useValue: identity },
        {
          provide: NATS_CONNECTION,
          useFactory: () =>
            connect({
              ...natsConnectOptions(identity.service),
              servers: natsServers(options.url),
              name: `${identity.service}:${identity.instanceId}`,
              // a NATS that is slow to answer or not up yet (a crowded node, pods starting in any order) is waited for, not fatal
              waitOnFirstConnect: true,
              maxReconnectAttempts: -1,
              reconnectTimeWait: 500,
              // nats.js captures three stack traces per request otherwise; RpcClient never reads them
              noAsyncTraces: true,
            }),
        },
        { provide: RpcClient, useFactory: (nc: NatsConnection) => new RpcClient(nc), inject: [NATS_CONNECTION] },
        { provide: EventBus, useFactory: (nc: NatsConnection) => new EventBus(nc), inject: [NATS_CONNECTION] },
        {
          provide: HealthResponder,
          useFactory: (nc: NatsConnection, id: ServiceIdentity) => new HealthResponder(nc, id),
          inject: [NATS_CONNECTION, SERVICE_IDENTITY],
        },
      ],
      exports: [SERVICE_IDENTITY, NATS_CONNECTION, RpcClient, EventBus, HealthResponder],
    };
  }

  onModuleInit(): void {
    this.health.start();
    this.logger.log(`connected to ${this.nc.getServer()}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.health.stop();
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => undefined);
  }
}
