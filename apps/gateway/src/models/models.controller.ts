import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { HttpReply } from '../http/http-adapter';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { LogLensError, VERSION_REF_PATTERN } from '@loglens/contracts';
import type { CurrentVersionsReply, DeployVersionReply, GetVersionReply, ListModelsReply, LoadVersionReply, PredictReply } from '@loglens/contracts';
import { ManagementService } from '../management/management.service';
import { actorOf, type AuthenticatedRequest } from '../auth/api-key.guard';
import { RequiresRole } from '../auth/roles';
import { DeployBodyDto, ExplainBodyDto, PredictBodyDto } from './models.dto';
import { ModelsGatewayService } from './models.gateway-service';
import { ApiReply, AUTHENTICATED, OPERATOR, OVER_NATS } from '../openapi/api-replies';
import { MODEL_VERSION_HEADER, ROUTE_HEADER, withRouteKey } from './predict-route';
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
  @ApiReply('ListModelsReply', { errors: [...AUTHENTICATED, ...OVER_NATS] })
  list(): Promise<ListModelsReply> {
    return this.models.list();
  }

  @Get('current')
  @ApiOperation({ summary: 'The serving version of every model' })
  @ApiReply('CurrentVersionsReply', { errors: [...AUTHENTICATED, ...OVER_NATS] })
  current(): Promise<CurrentVersionsReply> {
    return this.models.current();
  }

  @Post('predict')
  @HttpCode(200)
  @ApiHeader({ name: ROUTE_HEADER, required: false, description: 'sticky key of an experiment: the same key is answered by the same arm' })
  @ApiOperation({ summary: 'Score rows with a model’s serving version (or a pinned version); x-loglens-model-version names the version that answered' })
  @ApiReply('PredictReply', { errors: [...AUTHENTICATED, 400, 404, 413, 422, ...OVER_NATS] })
  async predict(@Body() body: PredictBodyDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: HttpReply): Promise<PredictReply> {
    const reply = await this.models.predict(withRouteKey(body, req.headers[ROUTE_HEADER]));
    res.header(MODEL_VERSION_HEADER, reply.modelVersion);
    return reply;
  }

  @Post(':version/explain')
  @HttpCode(200)
  @ApiParam(REF_PARAM)
  @ApiOperation({
    summary: 'Score rows and explain each score: per-feature attributions that sum to outputValue − baseValue (docs/models.md)',
  })
  @ApiReply('PredictReply', { errors: [...AUTHENTICATED, 400, 404, 413, 422, ...OVER_NATS] })
  explain(@Param('version') ref: string, @Body() body: ExplainBodyDto): Promise<PredictReply> {
    if (!VERSION_REF_PATTERN.test(ref)) throw new LogLensError('VALIDATION_FAILED', `"${ref}" is not a model name or version reference`);
    const target = ref.includes('@') ? { version: ref } : { model: ref };
    return this.models.predict({ ...target, rows: body.rows, explain: true, ...(body.timeoutMs ? { timeoutMs: body.timeoutMs } : {}), ...(body.explainTop ? { explainTop: body.explainTop } : {}) });
  }

  @Get(':version')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'One version’s details' })
  @ApiReply('GetVersionReply', { errors: [...AUTHENTICATED, 400, 404, ...OVER_NATS] })
  get(@Param('version') ref: string): Promise<GetVersionReply> {
    return this.models.get(ref);
  }

  @Post(':version/load')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Warm this version in every worker without serving it (operator)' })
  @ApiReply('LoadVersionReply', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  load(@Param('version') ref: string, @Req() req: AuthenticatedRequest): Promise<LoadVersionReply> {
    return this.management.load(ref, actorOf(req));
  }

  @Post(':version/unload')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Release a warm, non-serving version from the workers (operator)' })
  @ApiReply('LoadVersionReply', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
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
  @ApiReply('DeployVersionReply', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  deploy(@Param('version') ref: string, @Body() body: DeployBodyDto, @Req() req: AuthenticatedRequest): Promise<DeployVersionReply> {
    return this.models.deploy(ref, actorOf(req), body.reason, expectedCurrentOf(req, body.expectedCurrent));
  }
}

