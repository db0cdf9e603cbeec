import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import { BindSourceRequest, ListBindingsRequest, RegistrySubjects, UnbindSourceRequest, type ListBindingsReply, type SourceBindingDto } from '@loglens/contracts';
import { BindingsService } from './bindings.service';

@Controller()
export class BindingsController {
  constructor(private readonly bindings: BindingsService) {}

  @HandlesRpc(RegistrySubjects.bindSource)
  bind(@Payload() req: BindSourceRequest): Promise<SourceBindingDto> {
    return this.bindings.bind(req);
  }

  @HandlesRpc(RegistrySubjects.unbindSource)
  unbind(@Payload() req: UnbindSourceRequest): Promise<SourceBindingDto> {
    return this.bindings.unbind(req);
  }

  @HandlesRpc(RegistrySubjects.listBindings)
  async list(@Payload() req: ListBindingsRequest): Promise<ListBindingsReply> {
    return { bindings: await this.bindings.list(req) };
  }
}
