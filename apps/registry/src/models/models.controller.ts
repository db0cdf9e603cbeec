import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CurrentVersionsRequest,
  DeployVersionRequest,
  GetVersionRequest,
  ListModelsRequest,
  RegisterVersionRequest,
  RegistrySubjects,
  ServingStateRequest,
  type CurrentVersionsReply,
  type DeployVersionReply,
  type GetVersionReply,
  type ListModelsReply,
  type RegisterVersionReply,
  type ServingStateReply,
} from '@loglens/contracts';
import { DeploymentsService } from './deployments.service';
import { ModelsService } from './models.service';

@Controller()
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly deployments: DeploymentsService,
  ) {}

  @MessagePattern(RegistrySubjects.listModels)
  list(@Payload() _req: ListModelsRequest): Promise<ListModelsReply> {
    return this.models.list();
  }

  @MessagePattern(RegistrySubjects.getVersion)
  get(@Payload() req: GetVersionRequest): Promise<GetVersionReply> {
    return this.models.get(req.ref);
  }

  @MessagePattern(RegistrySubjects.currentVersions)
  async current(@Payload() _req: CurrentVersionsRequest): Promise<CurrentVersionsReply> {
    return { serving: await this.models.current() };
  }

  @MessagePattern(RegistrySubjects.servingState)
  async servingState(@Payload() _req: ServingStateRequest): Promise<ServingStateReply> {
    return { serving: await this.models.servingState() };
  }

  @MessagePattern(RegistrySubjects.registerVersion)
  register(@Payload() req: RegisterVersionRequest): Promise<RegisterVersionReply> {
    return this.models.register(req);
  }

  @MessagePattern(RegistrySubjects.deployVersion)
  deploy(@Payload() req: DeployVersionRequest): Promise<DeployVersionReply> {
    return this.deployments.deploy(req.ref, req.actor, req.reason);
  }
}
