import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ReadinessDto } from '@loglens/contracts';
import { Public } from '../auth/roles';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @ApiOkResponse({ description: 'the gateway process is up' })
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'registry, ≥1 inference worker and both agents answer over NATS' })
  @ApiServiceUnavailableResponse({ description: 'a required service is missing; `missing` names it' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const body = await this.health.readiness();
    res.status(body.ready ? 200 : 503);
    return body;
  }
}
