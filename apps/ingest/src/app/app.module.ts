import { Module, type DynamicModule } from '@nestjs/common';
import { NatsModule } from '@loglens/nest-common';
import { SyslogServer } from '../syslog/syslog.server';
import type { IngestEnv } from './ingest.env';
import { INGEST_ENV } from './tokens';

@Module({})
export class AppModule {
  static forRoot(env: IngestEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [NatsModule.forRoot({ service: 'ingest', url: env.NATS_URL, instanceId: env.INSTANCE_ID })],
      providers: [{ provide: INGEST_ENV, useValue: env }, SyslogServer],
    };
  }
}
