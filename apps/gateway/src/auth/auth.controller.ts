import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { LogLensError, type ApiKeyDto, type ListApiKeysReply, type ListAuditReply } from '@loglens/contracts';
import { actorOf, type AuthenticatedRequest } from './api-key.guard';
import { ApiReply, AUTHENTICATED, OVER_NATS } from '../openapi/api-replies';
import { AuditQueryDto, CreateKeyBodyDto } from './auth.dto';
import { AuthService } from './auth.service';
import type { Principal } from './key-store';
import { RequiresRole, type Role } from './roles';
import { TokenService, type IssuedToken } from './tokens';

const idPipe = new ParseUUIDPipe({ exceptionFactory: () => new LogLensError('VALIDATION_FAILED', 'id must be a key id (a UUID, as GET /api/v1/auth/keys lists them)') });

@ApiTags('auth')
@ApiSecurity('api-key')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
  ) {}

  @Get('whoami')
  @ApiOperation({ summary: 'The role and name of the presented API key (the console hides actions it cannot take)' })
  @ApiReply('WhoAmIReply', { errors: AUTHENTICATED })
  whoami(@Req() req: AuthenticatedRequest): { role: Role; name: string; fingerprint: string } {
    const p = principalOf(req);
    return { role: p.role, name: p.name, fingerprint: p.fingerprint };
  }

  @Post('tokens')
  @ApiOperation({ summary: 'A short-lived (5 min) signed token for URLs that must carry a credential (?token= on /api/v1/events)' })
  @ApiReply('IssuedToken', { status: 201, errors: AUTHENTICATED })
  token(@Req() req: AuthenticatedRequest): IssuedToken {
    return this.tokens.issue(principalOf(req));
  }

  @Get('keys')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'The active API keys (never the keys themselves: name, role, fingerprint, created, last used)' })
  @ApiReply('ListApiKeysReply', { errors: [...AUTHENTICATED, 403, ...OVER_NATS] })
  keys(): Promise<ListApiKeysReply> {
    return this.auth.list();
  }

  @Post('keys')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Create a key; the answer holds the key itself, shown this once (only its hash is stored)' })
  @ApiReply('CreatedApiKeyReply', { status: 201, errors: [...AUTHENTICATED, 400, 403, 409, 413, 422, ...OVER_NATS] })
  create(@Body() body: CreateKeyBodyDto, @Req() req: AuthenticatedRequest): Promise<ApiKeyDto & { key: string }> {
    return this.auth.create(body.name, body.role, actorOf(req));
  }

  @Delete('keys/:id')
  @HttpCode(200)
  @RequiresRole('admin')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Revoke a key: every gateway refuses it (and its tokens) within seconds; 409 for the last admin key' })
  @ApiReply('ApiKeyDto', { errors: [...AUTHENTICATED, 400, 403, 404, 409, 422, ...OVER_NATS] })
  revoke(@Param('id', idPipe) id: string, @Req() req: AuthenticatedRequest): Promise<ApiKeyDto> {
    return this.auth.revoke(id, actorOf(req));
  }
}

@ApiTags('model-management')
@ApiSecurity('api-key')
@Controller('model-management')
export class AuditController {
  constructor(private readonly auth: AuthService) {}

  @Get('audit')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'The audit log of state changes made through the gateways, newest first (filters: actor, action, from, to; paged by cursor)' })
  @ApiReply('ListAuditReply', { errors: [...AUTHENTICATED, 400, 403, ...OVER_NATS] })
  audit(@Query() query: AuditQueryDto): Promise<ListAuditReply> {
    return this.auth.audit(query);
  }
}

function principalOf(req: AuthenticatedRequest): Principal {
  if (!req.principal) throw new LogLensError('UNAUTHENTICATED', 'an API key is required');
  return req.principal;
}
