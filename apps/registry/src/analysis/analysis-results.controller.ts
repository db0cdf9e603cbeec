import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AnalysisSubjects, ListResultsRequest, type ListResultsReply } from '@loglens/contracts';
import { AnalysisResultsService } from './analysis-results.service';

@Controller()
export class AnalysisResultsController {
  constructor(private readonly results: AnalysisResultsService) {}

  @MessagePattern(AnalysisSubjects.listResults)
  async list(@Payload() req: ListResultsRequest): Promise<ListResultsReply> {
    return { results: await this.results.list(req) };
  }
}
