import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BindSourceRequest, ListBindingsRequest, RegistrySubjects, UnbindSourceRequest, type ListBindingsReply, type SourceBindingDto } from '@loglens/contracts';
import { BindingsService } from './bindings.service';

@Controller()
export class BindingsController {
  constructor(private readonly bindings: BindingsService) {}

  @MessagePattern(RegistrySubjects.bindSource)
  bind(@Payload() req: BindSourceRequest): Promise<SourceBindingDto> {
    return this.bindings.bind(req);
  }

  @MessagePattern(RegistrySubjects.unbindSource)
  unbind(@Payload() req: UnbindSourceRequest): Promise<SourceBindingDto> {
    return this.bindings.unbind(req);
  }

  @MessagePattern(RegistrySubjects.listBindings)
  async list(@Payload() req: ListBindingsRequest): Promise<ListBindingsReply> {
    return { bindings: await this.bindings.list(req) };
  }
}
