import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateTrainJobRequest, GetJobRequest, ListJobsRequest, RegistrySubjects, UpdateJobRequest, type JobDto, type ListJobsReply } from '@loglens/contracts';
import { JobsService } from './jobs.service';

@Controller()
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @MessagePattern(RegistrySubjects.createJob)
  create(@Payload() req: CreateTrainJobRequest): Promise<JobDto> {
    return this.jobs.create(req);
  }

  @MessagePattern(RegistrySubjects.getJob)
  get(@Payload() req: GetJobRequest): Promise<JobDto> {
    return this.jobs.get(req.id);
  }

  @MessagePattern(RegistrySubjects.listJobs)
  async list(@Payload() req: ListJobsRequest): Promise<ListJobsReply> {
    return { jobs: await this.jobs.list(req) };
  }

  @MessagePattern(RegistrySubjects.updateJob)
  update(@Payload() req: UpdateJobRequest): Promise<JobDto> {
    return this.jobs.update(req);
  }
}
