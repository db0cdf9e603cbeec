import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ArchiveVersionRequest,
  CurrentVersionsRequest,
  DeployVersionRequest,
  FallbackRequest,
  GetVersionRequest,
  ListModelsRequest,
  LoadVersionRequest,
  RegisterVersionRequest,
  RegistrySubjects,
  RollbackRequest,
  ServingInfoRequest,
  ServingStateRequest,
  TagVersionRequest,
  type ArchiveVersionReply,
  type CurrentVersionsReply,
  type DeployVersionReply,
  type GetVersionReply,
  type ListModelsReply,
  type LoadVersionReply,
  type ModelVersionDto,
  type ServingInfoReply,
  type ServingStateReply,
} from '@loglens/contracts';
import { DeploymentsService } from './deployments.service';
import { LifecycleService } from './lifecycle.service';
import { ModelsService, type RegisteredVersion } from './models.service';

@Controller()
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly deployments: DeploymentsService,
    private readonly lifecycle: LifecycleService,
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

  @MessagePattern(RegistrySubjects.servingInfo)
  servingInfo(@Payload() req: ServingInfoRequest): Promise<ServingInfoReply> {
    return this.models.servingInfo(req.ref);
  }

  @MessagePattern(RegistrySubjects.registerVersion)
  register(@Payload() req: RegisterVersionRequest): Promise<RegisteredVersion> {
    const { artifactBase64, ...rest } = req;
    return this.models.register({ ...rest, bytes: Buffer.from(artifactBase64, 'base64') });
  }

  @MessagePattern(RegistrySubjects.deployVersion)
  deploy(@Payload() req: DeployVersionRequest): Promise<DeployVersionReply> {
    return this.deployments.deploy(req.ref, req.actor, req.reason, req.expectedCurrent);
  }

  @MessagePattern(RegistrySubjects.rollback)
  rollback(@Payload() req: RollbackRequest): Promise<DeployVersionReply> {
    return this.deployments.rollback(req.model, req.to, req.actor, req.reason, req.expectedCurrent);
  }

  @MessagePattern(RegistrySubjects.fallback)
  async fallback(@Payload() req: FallbackRequest): Promise<{ fellBack: DeployVersionReply | null }> {
    return { fellBack: await this.deployments.fallback(req.failedRef, req.reason, req.worker) };
  }

  @MessagePattern(RegistrySubjects.loadVersion)
  load(@Payload() req: LoadVersionRequest): Promise<LoadVersionReply> {
    return this.lifecycle.load(req.ref, req.actor);
  }

  @MessagePattern(RegistrySubjects.unloadVersion)
  unload(@Payload() req: LoadVersionRequest): Promise<LoadVersionReply> {
    return this.lifecycle.unload(req.ref, req.actor);
  }

  @MessagePattern(RegistrySubjects.archiveVersion)
  archive(@Payload() req: ArchiveVersionRequest): Promise<ArchiveVersionReply> {
    return this.lifecycle.archive(req.ref, req.actor);
  }

  @MessagePattern(RegistrySubjects.tagVersion)
  tag(@Payload() req: TagVersionRequest): Promise<ModelVersionDto> {
    return this.lifecycle.tag(req.ref, req.tags);
  }
}
