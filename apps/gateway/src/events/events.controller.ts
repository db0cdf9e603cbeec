import { Controller, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { AllowQueryToken } from '../auth/roles';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiSecurity('api-key')
@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Sse()
  @AllowQueryToken()
  @ApiOperation({ summary: 'Server-sent events: deploys, rollbacks, fallbacks, validations, alias moves (credential also as ?token=, from POST /api/v1/auth/tokens)' })
  stream(): Observable<MessageEvent> {
    return this.events.stream().pipe(map((e) => ({ type: e.type, data: e.data as object })));
  }
}
