import { Module, type DynamicModule } from '@nestjs/common';
import { NatsModule } from '@loglens/nest-common';
import { TRAINER_ENV, TrainerService } from '../jobs/trainer.service';
import type { TrainerEnv } from './trainer.env';

@Module({})
export class AppModule {
  static forRoot(env: TrainerEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [NatsModule.forRoot({ service: 'trainer', url: env.NATS_URL, instanceId: env.INSTANCE_ID })],
      providers: [{ provide: TRAINER_ENV, useValue: env }, TrainerService],
    };
  }
}
