import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { AllowQueryKey } from '../auth/roles';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiSecurity('api-key')
@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Sse()
  @AllowQueryKey()
  @ApiOperation({ summary: 'Server-sent events: deploys, rollbacks, fallbacks, validations, alias moves (key also as ?api_key=)' })
  stream(): Observable<MessageEvent> {
    return this.events.stream().pipe(map((e) => ({ type: e.type, data: e.data as object })));
  }
}
