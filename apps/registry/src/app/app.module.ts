import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NatsModule } from '@loglens/nest-common';
import { ArtifactsController } from '../artifacts/artifacts.controller';
import { ArtifactsService } from '../artifacts/artifacts.service';
import { openRegistryDataSource, registryDataSourceOptions } from '../database/data-source';
import { AliasesController } from '../aliases/aliases.controller';
import { AnalysisResultsController } from '../analysis/analysis-results.controller';
import { AnalysisResultsService } from '../analysis/analysis-results.service';
import { AliasesService } from '../aliases/aliases.service';
import { HistoryController } from '../history/history.controller';
import { HistoryService } from '../history/history.service';
import { DeploymentsService } from '../models/deployments.service';
import { LifecycleService } from '../models/lifecycle.service';
import { ModelsController } from '../models/models.controller';
import { ModelsService } from '../models/models.service';
import { RegistryEvents } from '../models/registry-events';
import { UploadsController } from '../uploads/uploads.controller';
import { UploadsService } from '../uploads/uploads.service';
import { ValidationController } from '../validation/validation.controller';
import { ValidationService } from '../validation/validation.service';
import { MODEL_LIMITS, modelLimitsOf } from '../validation/model-limits.env';
import { ModelSandbox, SANDBOX_CHILD_FILE, defaultSandboxChildFile } from '../validation/model-sandbox';
import { JobsController } from '../jobs/jobs.controller';
import { JobsService } from '../jobs/jobs.service';
import { BindingsController } from '../sources/bindings.controller';
import { BindingsService } from '../sources/bindings.service';
import { AuthController } from '../auth/auth.controller';
import { ApiKeysService } from '../auth/api-keys.service';
import { AuditService } from '../auth/audit.service';
import { IdempotencyController } from '../idempotency/idempotency.controller';
import { DeadLettersController } from '../dead-letters/dead-letters.controller';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ExperimentsController } from '../experiments/experiments.controller';
import { ExperimentsService } from '../experiments/experiments.service';
import { ExperimentStatsService } from '../experiments/experiment-stats.service';
import { CanaryDecisionsService } from '../experiments/canary-decisions.service';
import { DriftController } from '../drift/drift.controller';
import { DRIFT_OPTIONS, DriftService } from '../drift/drift.service';
import type { RegistryEnv } from './registry.env';

@Module({})
export class AppModule {
  static forRoot(env: RegistryEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        NatsModule.forRoot({ service: 'registry', url: env.NATS_URL, instanceId: env.INSTANCE_ID }),
        TypeOrmModule.forRootAsync({
          useFactory: () => registryDataSourceOptions(env.DATABASE_URL, env.DATABASE_SCHEMA),
          dataSourceFactory: () => openRegistryDataSource(env.DATABASE_URL, env.DATABASE_SCHEMA),
        }),
      ],
      controllers: [ModelsController, ArtifactsController, HistoryController, AliasesController, ValidationController, UploadsController, AnalysisResultsController, BindingsController, JobsController, AuthController, IdempotencyController, DeadLettersController, ExperimentsController, DriftController],
      providers: [
        { provide: MODEL_LIMITS, useValue: modelLimitsOf(env) },
        { provide: SANDBOX_CHILD_FILE, useValue: defaultSandboxChildFile() },
        ModelSandbox,
        RegistryEvents,
        ArtifactsService,
        HistoryService,
        ValidationService,
        ModelsService,
        DeploymentsService,
        LifecycleService,
        AliasesService,
        UploadsService,
        AnalysisResultsService,
        BindingsService,
        JobsService,
        ApiKeysService,
        AuditService,
        IdempotencyService,
        DeadLettersService,
        ExperimentsService,
        ExperimentStatsService,
        CanaryDecisionsService,
        { provide: DRIFT_OPTIONS, useValue: { checkMs: env.DRIFT_CHECK_MS, checkWindowMs: env.DRIFT_CHECK_WINDOW_MS, minWindows: env.DRIFT_MIN_WINDOWS, referenceWindows: env.DRIFT_REFERENCE_WINDOWS } },
        DriftService,
      ],
    };
  }
}
