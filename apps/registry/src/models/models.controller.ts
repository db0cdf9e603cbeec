import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
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
import { ExperimentsService } from '../experiments/experiments.service';
import { DeploymentsService } from './deployments.service';
import { LifecycleService } from './lifecycle.service';
import { ModelsService, type RegisteredVersion } from './models.service';

@Controller()
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly deployments: DeploymentsService,
    private readonly lifecycle: LifecycleService,
    private readonly experiments: ExperimentsService,
  ) {}

  @HandlesRpc(RegistrySubjects.listModels)
  list(@Payload() _req: ListModelsRequest): Promise<ListModelsReply> {
    return this.models.list();
  }

  @HandlesRpc(RegistrySubjects.getVersion)
  get(@Payload() req: GetVersionRequest): Promise<GetVersionReply> {
    return this.models.get(req.ref);
  }

  @HandlesRpc(RegistrySubjects.currentVersions)
  async current(@Payload() _req: CurrentVersionsRequest): Promise<CurrentVersionsReply> {
    return { serving: await this.models.current() };
  }

  @HandlesRpc(RegistrySubjects.servingState)
  async servingState(@Payload() _req: ServingStateRequest): Promise<ServingStateReply> {
    const [serving, experiments] = await Promise.all([this.models.servingState(), this.experiments.active()]);
    return { serving, experiments };
  }

  @HandlesRpc(RegistrySubjects.servingInfo)
  servingInfo(@Payload() req: ServingInfoRequest): Promise<ServingInfoReply> {
    return this.models.servingInfo(req.ref);
  }

  @HandlesRpc(RegistrySubjects.registerVersion)
  register(@Payload() req: RegisterVersionRequest): Promise<RegisteredVersion> {
    const { artifactBase64, ...rest } = req;
    return this.models.register({ ...rest, bytes: Buffer.from(artifactBase64, 'base64') });
  }

  @HandlesRpc(RegistrySubjects.deployVersion)
  deploy(@Payload() req: DeployVersionRequest): Promise<DeployVersionReply> {
    return this.deployments.deploy(req.ref, req.actor, req.reason, req.expectedCurrent);
  }

  @HandlesRpc(RegistrySubjects.rollback)
  rollback(@Payload() req: RollbackRequest): Promise<DeployVersionReply> {
    return this.deployments.rollback(req.model, req.to, req.actor, req.reason, req.expectedCurrent);
  }

  @HandlesRpc(RegistrySubjects.fallback)
  async fallback(@Payload() req: FallbackRequest): Promise<{ fellBack: DeployVersionReply | null }> {
    return { fellBack: await this.deployments.fallback(req.failedRef, req.reason, req.worker) };
  }

  @HandlesRpc(RegistrySubjects.loadVersion)
  load(@Payload() req: LoadVersionRequest): Promise<LoadVersionReply> {
    return this.lifecycle.load(req.ref, req.actor);
  }

  @HandlesRpc(RegistrySubjects.unloadVersion)
  unload(@Payload() req: LoadVersionRequest): Promise<LoadVersionReply> {
    return this.lifecycle.unload(req.ref, req.actor);
  }

  @HandlesRpc(RegistrySubjects.archiveVersion)
  archive(@Payload() req: ArchiveVersionRequest): Promise<ArchiveVersionReply> {
    return this.lifecycle.archive(req.ref, req.actor);
  }

  @HandlesRpc(RegistrySubjects.tagVersion)
  tag(@Payload() req: TagVersionRequest): Promise<ModelVersionDto> {
    return this.lifecycle.tag(req.ref, req.tags);
  }
}
