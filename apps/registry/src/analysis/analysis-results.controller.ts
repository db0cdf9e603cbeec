import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import { AnalysisSubjects, ListResultsRequest, type ListResultsReply } from '@loglens/contracts';
import { AnalysisResultsService } from './analysis-results.service';

@Controller()
export class AnalysisResultsController {
  constructor(private readonly results: AnalysisResultsService) {}

  @HandlesRpc(AnalysisSubjects.listResults)
  async list(@Payload() req: ListResultsRequest): Promise<ListResultsReply> {
    return { results: await this.results.list(req) };
  }
}
