import { Controller, Module, type DynamicModule, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AgentSubjects, AnalyzeRequest, type AnalyzeReply, type LargeReply, type ServiceName } from '@loglens/contracts';
import { HandlesRpc, NatsModule } from '@loglens/nest-common';
import { AGENT_OPTIONS, AgentService, type AgentOptions } from './agent.service';

/** The analyze handler on the agent kind's own subject (a decorator needs the subject when the class is made). */
function analyzeController(subject: typeof AgentSubjects.analyzeBase | typeof AgentSubjects.analyzeWifi): Type<unknown> {
  @Controller()
  class AnalyzeController {
    constructor(private readonly agent: AgentService) {}

    @HandlesRpc(subject)
    analyze(@Payload() req: AnalyzeRequest): Promise<AnalyzeReply | LargeReply> {
      return this.agent.analyze(req);
    }
  }
  return AnalyzeController;
}

/** Everything an agent app needs: NATS, the stream consumer, the analyze API. The app only picks the pipeline. */
@Module({})
export class AgentRuntimeModule {
  static forRoot(service: ServiceName, natsUrl: string, instanceId: string | undefined, options: AgentOptions): DynamicModule {
    return {
      module: AgentRuntimeModule,
      imports: [NatsModule.forRoot({ service, url: natsUrl, instanceId })],
      controllers: [analyzeController(options.kind === 'wifi' ? AgentSubjects.analyzeWifi : AgentSubjects.analyzeBase)],
      providers: [{ provide: AGENT_OPTIONS, useValue: options }, AgentService],
    };
  }
}
