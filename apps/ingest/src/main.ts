import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { installProcessGuards, serviceLogger, validateEnv } from '@loglens/nest-common';
import { AppModule } from './app/app.module';
import { IngestEnv } from './app/ingest.env';
import { startTracing } from '@loglens/tracing';

async function main(): Promise<void> {
  // spans to OTEL_EXPORTER_OTLP_ENDPOINT when it is set (docs/monitoring.md, "Tracing"); off otherwise
  startTracing({ service: 'ingest' });
  const env = validateEnv(IngestEnv, process.env);
  const logger = serviceLogger('ingest');
  // no RPC handlers: a plain application context with the NATS connection and health responder
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(env), { logger });
  app.enableShutdownHooks();
  installProcessGuards(app, logger);
  await app.init();
}

main().catch((e: unknown) => {
  console.error(`[ingest] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
