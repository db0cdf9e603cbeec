import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { installProcessGuards, serviceLogger, validateEnv } from '@loglens/nest-common';
import { AppModule } from './app/app.module';
import { TrainerEnv } from './app/trainer.env';
import { startTracing } from '@loglens/tracing';

async function main(): Promise<void> {
  // spans to OTEL_EXPORTER_OTLP_ENDPOINT when it is set (docs/monitoring.md, "Tracing"); off otherwise
  startTracing({ service: 'trainer' });
  const env = validateEnv(TrainerEnv, process.env);
  const logger = serviceLogger('trainer');
  // no request handlers: the trainer only pulls jobs from JetStream and answers health pings
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(env), { logger });
  app.enableShutdownHooks();
  installProcessGuards(app, logger);
  await app.init();
  logger.log('trainer waiting for train jobs (JetStream JOBS, durable "trainer")');
}

main().catch((e: unknown) => {
  console.error(`[trainer] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
