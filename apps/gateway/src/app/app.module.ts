import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { NatsModule } from '@loglens/nest-common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { AuditController, AuthController } from '../auth/auth.controller';
import { AuthService } from '../auth/auth.service';
import { KeyStore } from '../auth/key-store';
import { TokenService } from '../auth/tokens';
import { AuditSink } from '../audit/audit-sink';
import { DeadLettersController } from '../dead-letters/dead-letters.controller';
import { EventsController } from '../events/events.controller';
import { EventsService } from '../events/events.service';
import { AnalysisController } from '../analysis/analysis.controller';
import { HealthController } from '../health/health.controller';
import { V2Controller } from '../v2/v2.controller';
import { HttpMetricsInterceptor } from '../metrics/http-metrics.interceptor';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { DriftGauges } from '../metrics/drift-gauges';
import { DriftController } from '../drift/drift.controller';
import { ManagementController } from '../management/management.controller';
import { ManagementService } from '../management/management.service';
import { UploadClient } from '../management/upload-client';
import { HealthService } from '../health/health.service';
import { LogInputsController } from '../log-inputs/log-inputs.controller';
import { LogInputsService } from '../log-inputs/log-inputs.service';
import { HttpErrorFilter } from '../http/http-error.filter';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { ModelsController } from '../models/models.controller';
import { ModelsGatewayService } from '../models/models.gateway-service';
import { SourcesController } from '../sources/sources.controller';
import { SourcesService } from '../sources/sources.service';
import { ExperimentsController } from '../experiments/experiments.controller';
import { ExperimentsService } from '../experiments/experiments.service';
import type { GatewayEnv } from './gateway.env';
import { GATEWAY_ENV } from './tokens';

@Module({})
export class AppModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [NatsModule.forRoot({ service: 'gateway', url: env.NATS_URL, instanceId: env.INSTANCE_ID })],
      controllers: [HealthController, AuthController, AuditController, ModelsController, ExperimentsController, ManagementController, EventsController, MetricsController, V2Controller, AnalysisController, LogInputsController, SourcesController, DeadLettersController, DriftController],
      providers: [
        { provide: GATEWAY_ENV, useValue: env },
        KeyStore,
        TokenService,
        AuthService,
        AuditSink,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        MetricsService,
        DriftGauges,
        HealthService,
        ModelsGatewayService,
        ManagementService,
        UploadClient,
        EventsService,
        LogInputsService,
        SourcesService,
        ExperimentsService,
      ],
    };
  }
}
