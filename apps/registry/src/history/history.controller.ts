import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import { HistoryRequest, RegistrySubjects, type HistoryReply } from '@loglens/contracts';
import { HistoryService } from './history.service';

@Controller()
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @HandlesRpc(RegistrySubjects.history)
  async list(@Payload() req: HistoryRequest): Promise<HistoryReply> {
    return { entries: await this.history.list(req) };
  }
}
