import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DeleteAliasRequest, RegistrySubjects, SetAliasRequest, type AliasReply } from '@loglens/contracts';
import { AliasesService } from './aliases.service';

@Controller()
export class AliasesController {
  constructor(private readonly aliases: AliasesService) {}

  @MessagePattern(RegistrySubjects.setAlias)
  set(@Payload() req: SetAliasRequest): Promise<AliasReply> {
    return this.aliases.set(req.model, req.alias, req.ref, req.actor, req.reason, req.expectedCurrent);
  }

  @MessagePattern(RegistrySubjects.deleteAlias)
  delete(@Payload() req: DeleteAliasRequest): Promise<AliasReply> {
    return this.aliases.delete(req.model, req.alias, req.actor, req.expectedCurrent);
  }
}
