import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { CurrentVersionsReply, DeployVersionReply, GetVersionReply, ListModelsReply, LoadVersionReply, PredictReply } from '@loglens/contracts';
import { ManagementService } from '../management/management.service';
import { actorOf, type AuthenticatedRequest } from '../auth/api-key.guard';
import { RequiresRole } from '../auth/roles';
import { DeployBodyDto, PredictBodyDto } from './models.dto';
import { ModelsGatewayService } from './models.gateway-service';
import { EXPECTED_CURRENT_DOC, expectedCurrentOf } from '../management/expected-current';

const REF_PARAM = { name: 'version', example: 'hdfs-session-logreg@1', description: 'name@N, name@latest, name@alias or a bare name (its serving version)' };

@ApiTags('models')
@ApiSecurity('api-key')
@Controller('api/v1/models')
export class ModelsController {
  constructor(
    private readonly models: ModelsGatewayService,
    private readonly management: ManagementService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Models with their versions and which one is serving' })
  list(): Promise<ListModelsReply> {
    return this.models.list();
  }

  @Get('current')
  @ApiOperation({ summary: 'The serving version of every model' })
  current(): Promise<CurrentVersionsReply> {
    return this.models.current();
  }

  @Post('predict')
  @HttpCode(200)
  @ApiOperation({ summary: 'Score rows with a model’s serving version (or a pinned version)' })
  predict(@Body() body: PredictBodyDto): Promise<PredictReply> {
    return this.models.predict(body);
  }

  @Get(':version')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'One version’s details' })
  get(@Param('version') ref: string): Promise<GetVersionReply> {
    return this.models.get(ref);
  }

  @Post(':version/load')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Warm this version in every worker without serving it (operator)' })
  load(@Param('version') ref: string, @Req() req: AuthenticatedRequest): Promise<LoadVersionReply> {
    return this.management.load(ref, actorOf(req));
  }

  @Post(':version/unload')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Release a warm, non-serving version from the workers (operator)' })
  unload(@Param('version') ref: string, @Req() req: AuthenticatedRequest): Promise<LoadVersionReply> {
    return this.management.unload(ref, actorOf(req));
  }

  @Post(':version/deploy')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiParam(REF_PARAM)
  @ApiBody({ type: DeployBodyDto, required: false })
  @ApiHeader({ name: 'If-Match', required: false, description: EXPECTED_CURRENT_DOC })
  @ApiOperation({ summary: 'Make this version the serving version (operator)' })
  deploy(@Param('version') ref: string, @Body() body: DeployBodyDto, @Req() req: AuthenticatedRequest): Promise<DeployVersionReply> {
    return this.models.deploy(ref, actorOf(req), body.reason, expectedCurrentOf(req, body.expectedCurrent));
  }
}

