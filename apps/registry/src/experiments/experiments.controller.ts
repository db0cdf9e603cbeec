import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import {
  ChangeExperimentRequest,
  CreateExperimentRequest,
  GetExperimentRequest,
  ListExperimentsRequest,
  RegistrySubjects,
  type ExperimentDto,
  type ListExperimentsReply,
} from '@loglens/contracts';
import { ExperimentsService, type ExperimentReport } from './experiments.service';

@Controller()
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  @HandlesRpc(RegistrySubjects.createExperiment)
  create(@Payload() req: CreateExperimentRequest): Promise<ExperimentDto> {
    return this.experiments.create(req);
  }

  @HandlesRpc(RegistrySubjects.getExperiment)
  get(@Payload() req: GetExperimentRequest): Promise<ExperimentDto> {
    return this.experiments.get(req.id);
  }

  @HandlesRpc(RegistrySubjects.listExperiments)
  async list(@Payload() req: ListExperimentsRequest): Promise<ListExperimentsReply> {
    return { experiments: await this.experiments.list(req) };
  }

  @HandlesRpc(RegistrySubjects.changeExperiment)
  change(@Payload() req: ChangeExperimentRequest): Promise<ExperimentDto> {
    return this.experiments.change(req);
  }

  @HandlesRpc(RegistrySubjects.experimentReport)
  report(@Payload() req: GetExperimentRequest): Promise<ExperimentReport> {
    return this.experiments.report(req.id);
  }
}
