import { Module, type DynamicModule } from '@nestjs/common';
import { NatsModule } from '@loglens/nest-common';
import { ExperimentRouter } from '../experiments/experiment-router';
import { WorkerMetrics } from '../metrics/worker-metrics.service';
import { ArtifactFetcher } from '../serving/artifact-fetcher';
import { ArtifactValidator } from '../serving/artifact-validator';
import { PredictProfiler } from '../serving/predict-profiler.service';
import { PredictController } from '../serving/predict.controller';
import { PredictResponder } from '../serving/predict-responder';
import { InferBytesService, InferService, PredictService } from '../serving/predict.service';
import { InferBinaryResponder } from '../serving/infer-binary-responder';
import { ServingTable } from '../serving/serving-table.service';
import { WORKER_ENV } from './worker.env';
import type { WorkerEnv } from './worker.env';

@Module({})
export class AppModule {
  static forRoot(env: WorkerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [NatsModule.forRoot({ service: 'inference-worker', url: env.NATS_URL, instanceId: env.INSTANCE_ID })],
      // the shadow pool only mirrors predict traffic (PredictResponder): no infer, binary infer or validation
      controllers: env.WORKER_POOL === 'shadow' ? [] : [PredictController],
      providers: [
        { provide: WORKER_ENV, useValue: env },
        ExperimentRouter,
        WorkerMetrics,
        ArtifactFetcher,
        ArtifactValidator,
        ServingTable,
        PredictProfiler,
        PredictService,
        InferService,
        PredictResponder,
        InferBytesService,
        ...(env.WORKER_POOL === 'shadow' ? [] : [InferBinaryResponder]),
      ],
    };
  }
}
