import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiReply, schemaRef } from '../openapi/api-replies';
import type { HttpReply, HttpRequest } from '../http/http-adapter';
import { LogLensError, type PublicReadinessDto, type ReadinessDto } from '@loglens/contracts';
import { keyOf } from '../auth/api-key.guard';
import { KeyStore } from '../auth/key-store';
import { Public } from '../auth/roles';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly keys: KeyStore,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the gateway process is up' })
  @ApiReply('LivenessReply', { description: 'the gateway process is up', errors: [429] })
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  /**
   * Public for probes and load balancers, which need only the status code: without a key the body is `{status}`.
   * Instance ids, serving versions and what is missing are for callers with a key (any role).
   */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: registry, ≥1 inference worker and both agents answer over NATS' })
  @ApiReply(['ReadinessDto', 'PublicReadinessDto'], {
    description: 'ready; `{status}` only without an API key, every service with one',
    errors: [401, 429],
  })
  @ApiResponse({
    status: 503,
    description: 'a required service is missing; with an API key, `missing` names it',
    schema: { oneOf: [schemaRef('ReadinessDto'), schemaRef('PublicReadinessDto')] },
  })
  async ready(@Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpReply): Promise<ReadinessDto | PublicReadinessDto> {
    const key = keyOf(req);
    if (key !== null && !this.keys.verify(key)) throw new LogLensError('UNAUTHENTICATED', 'the API key is not valid (send none to get only the status)');
    const body = await this.health.readiness();
    res.status(body.ready ? 200 : 503);
    return key === null ? { status: body.status } : body;
  }
}
