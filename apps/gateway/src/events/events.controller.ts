import { Controller, Inject, Req, Res, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ApiErrors, schemaRef } from '../openapi/api-replies';
import { finalize, map, type Observable } from 'rxjs';
import { LogLensError } from '@loglens/contracts';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { rawRequest, type HttpReply } from '../http/http-adapter';
import { AllowQueryToken } from '../auth/roles';
import { GATEWAY_ENV } from '../app/tokens';
import type { GatewayEnv } from '../app/gateway.env';
import { EventsService } from './events.service';
import { SseSlots } from './sse-slots';

@ApiTags('events')
@ApiSecurity('api-key')
@Controller('api/v1/events')
export class EventsController {
  private readonly slots: SseSlots;

  constructor(
    private readonly events: EventsService,
    @Inject(GATEWAY_ENV) env: GatewayEnv,
  ) {
    this.slots = new SseSlots(env.SSE_MAX_PER_KEY, env.SSE_MAX_TOTAL);
  }

  @Sse()
  @AllowQueryToken()
  @ApiOperation({ summary: 'Server-sent events: deploys, rollbacks, fallbacks, validations, alias moves (credential also as ?token=, from POST /api/v1/auth/tokens)' })
  @ApiResponse({
    status: 200,
    description: 'text/event-stream: each event has `event:` its type (a heartbeat every 15 s) and `data:` its JSON',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiErrors(401)
  @ApiTooManyRequestsResponse({ description: 'the key (SSE_MAX_PER_KEY) or the gateway (SSE_MAX_TOTAL) has as many streams open as allowed, or the rate limit', schema: schemaRef('ErrorBody') })
  stream(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: HttpReply): Observable<MessageEvent> {
    let release: () => void;
    try {
      release = this.slots.acquire(req.principal?.id ?? 'unknown');
    } catch (e) {
      if (e instanceof LogLensError) res.header('Retry-After', '5');
      throw e;
    }
    // Nest unsubscribes when the client goes away; the close hook frees the slot even if the stream never started
    rawRequest(req).once('close', release);
    return this.events.stream().pipe(
      map((e) => ({ type: e.type, data: e.data as object })),
      finalize(release),
    );
  }
}
