import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import { CreateTrainJobRequest, GetJobRequest, ListJobsRequest, RegistrySubjects, UpdateJobRequest, type JobDto, type ListJobsReply } from '@loglens/contracts';
import { JobsService } from './jobs.service';

@Controller()
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @HandlesRpc(RegistrySubjects.createJob)
  create(@Payload() req: CreateTrainJobRequest): Promise<JobDto> {
    return this.jobs.create(req);
  }

  @HandlesRpc(RegistrySubjects.getJob)
  get(@Payload() req: GetJobRequest): Promise<JobDto> {
    return this.jobs.get(req.id);
  }

  @HandlesRpc(RegistrySubjects.listJobs)
  async list(@Payload() req: ListJobsRequest): Promise<ListJobsReply> {
    return { jobs: await this.jobs.list(req) };
  }

  @HandlesRpc(RegistrySubjects.updateJob)
  update(@Payload() req: UpdateJobRequest): Promise<JobDto> {
    return this.jobs.update(req);
  }
}
