import { Controller, Get, Req } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from './api-key.guard';
import type { Role } from './roles';

@ApiTags('auth')
@ApiSecurity('api-key')
@Controller('api/v1/auth')
export class AuthController {
  @Get('whoami')
  @ApiOperation({ summary: 'The role of the presented API key (the console hides actions it cannot take)' })
  whoami(@Req() req: AuthenticatedRequest): { role: Role } {
    return { role: req.role ?? 'viewer' };
  }
}
