import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { RegistrySubjects, type ListDeadLettersReply, type ListDeadLettersRequest } from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import type { GatewayEnv } from '../app/gateway.env';
import { GATEWAY_ENV } from '../app/tokens';
import { RequiresRole } from '../auth/roles';
import { ApiReply, OPERATOR, OVER_NATS } from '../openapi/api-replies';
import { DeadLettersQueryDto } from './dead-letters.dto';

@ApiTags('model-management')
@ApiSecurity('api-key')
@Controller('model-management')
export class DeadLettersController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  @Get('dead-letters')
  @RequiresRole('operator')
  @ApiOperation({
    summary:
      'Messages a consumer gave up on (malformed, or failing every delivery), newest first: where each came from, which consumer set it aside and why, and the start of its payload (filters: consumer; paged by ?before=)',
  })
  @ApiReply('ListDeadLettersReply', { errors: [...OPERATOR, 400, ...OVER_NATS] })
  list(@Query() query: DeadLettersQueryDto): Promise<ListDeadLettersReply> {
    const req: ListDeadLettersRequest = { limit: query.limit, before: query.before, consumer: query.consumer };
    return this.rpc.call(RegistrySubjects.listDeadLetters, req, { timeoutMs: this.env.REQUEST_TIMEOUT_MS, retries: 1 });
  }
}
