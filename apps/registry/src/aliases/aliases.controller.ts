import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import { DeleteAliasRequest, RegistrySubjects, SetAliasRequest, type AliasReply } from '@loglens/contracts';
import { AliasesService } from './aliases.service';

@Controller()
export class AliasesController {
  constructor(private readonly aliases: AliasesService) {}

  @HandlesRpc(RegistrySubjects.setAlias)
  set(@Payload() req: SetAliasRequest): Promise<AliasReply> {
    return this.aliases.set(req.model, req.alias, req.ref, req.actor, req.reason, req.expectedCurrent);
  }

  @HandlesRpc(RegistrySubjects.deleteAlias)
  delete(@Payload() req: DeleteAliasRequest): Promise<AliasReply> {
    return this.aliases.delete(req.model, req.alias, req.actor, req.expectedCurrent);
  }
}
