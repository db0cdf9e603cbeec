import { Module, type DynamicModule } from '@nestjs/common';
import { NatsModule, type BaseServiceEnv } from '@loglens/nest-common';

/** Today: connected to NATS and answering health. The analysis cycle arrives with the agents issue. */
@Module({})
export class AppModule {
  static forRoot(env: BaseServiceEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [NatsModule.forRoot({ service: 'agent-wifi', url: env.NATS_URL, instanceId: env.INSTANCE_ID })],
    };
  }
}
