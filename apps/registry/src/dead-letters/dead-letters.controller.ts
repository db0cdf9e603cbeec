import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import { ListDeadLettersRequest, RegistrySubjects, type ListDeadLettersReply } from '@loglens/contracts';
import { DeadLettersService } from './dead-letters.service';

@Controller()
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @HandlesRpc(RegistrySubjects.listDeadLetters)
  list(@Payload() req: ListDeadLettersRequest): Promise<ListDeadLettersReply> {
    return this.deadLetters.list(req);
  }
}
