import { ConsoleLogger, type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { ServiceName } from '@loglens/contracts';
import { ContractDeserializer } from './contract-deserializer';
import { ContractValidationPipe } from './contract-validation.pipe';
import { natsConnectOptions } from './nats-connection';
import { HealthResponder } from './health';
import { ContractExceptionFilter } from './rpc-exception.filter';
import { RpcTracingInterceptor } from './rpc-tracing.interceptor';
import { natsServers } from './env';

export function serviceLogger(service: ServiceName): LoggerService {
  return new ConsoleLogger({ prefix: service, colors: process.stdout.isTTY });
}

/**
 * Keeps a service alive through stray rejections and stops it with its parent: when `npm start` runs the
 * stack, each service has an IPC channel to the launcher and exits if the launcher goes away.
 */
export function installProcessGuards(app: INestApplicationContext, logger: LoggerService): void {
  process.on('unhandledRejection', (reason) => {
    logger.error(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
  });
  if (process.send) {
    process.on('disconnect', () => {
      logger.warn('launcher went away; shutting down');
      void app.close().finally(() => process.exit(0));
    });
  }
}

/** Starts a NATS microservice whose handlers answer on the given queue group (one instance answers each request). */
export async function startMicroservice(
  service: ServiceName,
  module: Parameters<typeof NestFactory.createMicroservice>[0],
  options: { natsUrl: string; queue: string },
): Promise<INestApplicationContext> {
  const logger = serviceLogger(service);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    transport: Transport.NATS,
    options: {
      ...natsConnectOptions(service),
      servers: natsServers(options.natsUrl),
      queue: options.queue,
      name: `${service}:rpc`,
      deserializer: new ContractDeserializer(),
      // a NATS that is slow to answer or not up yet (a crowded node, pods starting in any order) is waited for, not fatal
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      gracefulShutdown: true,
      gracePeriod: 500,
      noAsyncTraces: true,
    },
    logger,
  });
  app.useGlobalPipes(new ContractValidationPipe());
  app.useGlobalFilters(new ContractExceptionFilter());
  app.useGlobalInterceptors(new RpcTracingInterceptor());
  app.enableShutdownHooks();
  installProcessGuards(app, logger);
  const health = healthOf(app);
  health?.startingUp();
  await app.listen();
  health?.listening();
  logger.log(`${service} listening on NATS (queue group "${options.queue}")`);
  return app;
}

/** The app's health responder, when it imports NatsModule. */
function healthOf(app: INestApplicationContext): HealthResponder | null {
  try {
    return app.get(HealthResponder, { strict: false });
  } catch {
    return null;
  }
}
