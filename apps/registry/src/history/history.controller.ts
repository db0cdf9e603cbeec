import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { HistoryRequest, RegistrySubjects, type HistoryReply } from '@loglens/contracts';
import { HistoryService } from './history.service';

@Controller()
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @MessagePattern(RegistrySubjects.history)
  async list(@Payload() req: HistoryRequest): Promise<HistoryReply> {
    return { entries: await this.history.list(req) };
  }
}
