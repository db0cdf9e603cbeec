import 'reflect-metadata';
import { validateEnv } from '@loglens/nest-common';
import { createGateway } from './app/create-gateway';
import { GatewayEnv } from './app/gateway.env';
import { startTracing, traceHttpServer } from '@loglens/tracing';

async function main(): Promise<void> {
  // spans to OTEL_EXPORTER_OTLP_ENDPOINT when it is set (docs/monitoring.md, "Tracing"); off otherwise
  startTracing({ service: 'gateway' });
  const env = validateEnv(GatewayEnv, process.env);
  const app = await createGateway(env);
  traceHttpServer(app.getHttpServer() as import('node:http').Server);
  await app.listen(env.GATEWAY_PORT, env.GATEWAY_HOST);
  // longer than clients' and proxies' idle timeouts, so a reused keep-alive connection is never closed under them
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  console.log(`[gateway] listening on http://localhost:${env.GATEWAY_PORT} (OpenAPI at /docs)`);
}

main().catch((e: unknown) => {
  console.error(`[gateway] failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
