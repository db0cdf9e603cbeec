import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../http/http-adapter';
import { UploadFieldsInterceptor, type UploadedFile } from '../http/upload-fields.interceptor';
import { LogLensError, MODEL_NAME_PATTERN, type AliasReply, type CommitUploadReply, type DeployVersionReply, type HistoryReply, type ModelVersionDto, type ValidationReportDto } from '@loglens/contracts';
import { actorOf, type AuthenticatedRequest } from '../auth/api-key.guard';
import { RequiresRole } from '../auth/roles';
import { DeployBodyDto } from '../models/models.dto';
import { ModelsGatewayService } from '../models/models.gateway-service';
import { HistoryQueryDto, RollbackBodyDto, SetAliasBodyDto, TagsBodyDto, UploadFormDto } from './management.dto';
import { ManagementService } from './management.service';
import { ApiReply, OPERATOR, AUTHENTICATED, OVER_NATS } from '../openapi/api-replies';
import { EXPECTED_CURRENT_DOC, expectedCurrentOf } from './expected-current';
import { UploadClient } from './upload-client';
import { uploadLimitBytes } from './upload-limit';

const IF_MATCH = { name: 'If-Match', required: false, description: EXPECTED_CURRENT_DOC };
const REF_PARAM = { name: 'version', example: 'hdfs-session-logreg@1', description: 'name@N, name@latest or name@alias' };

interface UploadedParts {
  model?: UploadedFile[];
  scaler?: UploadedFile[];
}

@ApiTags('model-management')
@ApiSecurity('api-key')
@Controller('model-management')
export class ManagementController {
  constructor(
    private readonly management: ManagementService,
    private readonly models: ModelsGatewayService,
    private readonly uploads: UploadClient,
  ) {}

  @Post('models/:name/versions')
  @RequiresRole('operator')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFormDto })
  @ApiOperation({ summary: 'Upload a new version (multipart: model, optional scaler and metadata JSON); it is validated on arrival' })
  @ApiReply('CommitUploadReply', { status: [201, 200], description: '201: a new version; 200: the same bytes were uploaded before (duplicateOf names that version)', errors: [...OPERATOR, 400, 409, 413, 422, ...OVER_NATS] })
  @UseInterceptors(UploadFieldsInterceptor([{ name: 'model', maxCount: 1 }, { name: 'scaler', maxCount: 1 }], { fileSize: uploadLimitBytes(), fields: 10 }))
  async upload(
    @Param('name') name: string,
    @UploadedFiles() files: UploadedParts,
    @Body() body: Record<string, unknown>,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<CommitUploadReply> {
    if (!MODEL_NAME_PATTERN.test(name)) throw new LogLensError('VALIDATION_FAILED', `"${name}" is not a model name: lower-case letters, digits, ".", "_" or "-" (max 64)`);
    const model = files?.model?.[0];
    if (!model) throw new LogLensError('VALIDATION_FAILED', 'the form needs a "model" file field with the ONNX model');
    const metadata = parseMetadata(body['metadata']);
    const result = await this.uploads.upload({
      model: name,
      modelFile: model.buffer,
      scalerFile: files.scaler?.[0]?.buffer ?? null,
      metadata,
      task: typeof metadata['task'] === 'string' ? metadata['task'] : undefined,
      description: typeof metadata['description'] === 'string' ? metadata['description'] : undefined,
      createdBy: actorOf(req),
    });
    res.status(result.duplicateOf ? 200 : 201);
    return result;
  }

  @Post('rollback')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Serve the previous serving version again (or `to`); send `expectedCurrent` (or If-Match) so a repeated rollback cannot flip back' })
  @ApiReply('DeployVersionReply', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  rollback(@Body() body: RollbackBodyDto, @Req() req: AuthenticatedRequest): Promise<DeployVersionReply> {
    return this.management.rollback({ model: body.model, to: body.to, reason: body.reason, actor: actorOf(req), expectedCurrent: expectedCurrentOf(req, body.expectedCurrent) });
  }

  @Get('history')
  @ApiOperation({ summary: 'The transfer history: every change of serving version or alias, newest first' })
  @ApiReply('HistoryReply', { errors: [...AUTHENTICATED, 400, ...OVER_NATS] })
  history(@Query() query: HistoryQueryDto): Promise<HistoryReply> {
    return this.management.history(query);
  }

  @Put('models/:name/aliases/:alias')
  @RequiresRole('operator')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Point an alias (production, staging, champion, challenger, …) at a version' })
  @ApiReply('AliasReply', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  setAlias(@Param('name') model: string, @Param('alias') alias: string, @Body() body: SetAliasBodyDto, @Req() req: AuthenticatedRequest): Promise<AliasReply> {
    const ref = body.version.includes('@') ? body.version : `${model}@${body.version}`;
    return this.management.setAlias({ model, alias, ref, actor: actorOf(req), reason: body.reason, expectedCurrent: expectedCurrentOf(req, body.expectedCurrent) });
  }

  @Delete('models/:name/aliases/:alias')
  @RequiresRole('operator')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Remove an alias' })
  @ApiReply('AliasReply', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  deleteAlias(@Param('name') model: string, @Param('alias') alias: string, @Req() req: AuthenticatedRequest): Promise<AliasReply> {
    return this.management.deleteAlias({ model, alias, actor: actorOf(req), expectedCurrent: expectedCurrentOf(req, undefined) });
  }

  @Post(':version/validate')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Run every validation check again (including a test inference in a worker)' })
  @ApiReply('ValidationReportDto', { errors: [...OPERATOR, 400, 404, 422, ...OVER_NATS] })
  validate(@Param('version') ref: string, @Req() req: AuthenticatedRequest): Promise<ValidationReportDto> {
    return this.management.validate(ref, actorOf(req));
  }

  @Get(':version/validation')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'The latest validation report' })
  @ApiReply('ValidationReportDto', { errors: [...AUTHENTICATED, 400, 404, ...OVER_NATS] })
  validation(@Param('version') ref: string): Promise<ValidationReportDto> {
    return this.management.validation(ref);
  }

  @Post(':version/deploy')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiParam(REF_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Make this version the serving version' })
  @ApiReply('DeployVersionReply', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  deploy(@Param('version') ref: string, @Body() body: DeployBodyDto, @Req() req: AuthenticatedRequest): Promise<DeployVersionReply> {
    return this.models.deploy(ref, actorOf(req), body.reason, expectedCurrentOf(req, body.expectedCurrent));
  }

  @Post(':version/archive')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Archive a version (never the serving one, nor one an alias points at)' })
  @ApiReply('ModelVersionDto', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  archive(@Param('version') ref: string, @Req() req: AuthenticatedRequest): Promise<ModelVersionDto> {
    return this.management.archive({ ref, actor: actorOf(req) });
  }

  @Put(':version/tags')
  @RequiresRole('operator')
  @ApiParam(REF_PARAM)
  @ApiOperation({ summary: 'Replace a version’s tags' })
  @ApiReply('ModelVersionDto', { errors: [...OPERATOR, 400, 404, 422, ...OVER_NATS] })
  tags(@Param('version') ref: string, @Body() body: TagsBodyDto): Promise<ModelVersionDto> {
    return this.management.tag({ ref, tags: body.tags });
  }
}

function parseMetadata(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') throw new LogLensError('VALIDATION_FAILED', 'the "metadata" field must be a JSON object sent as text');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new LogLensError('VALIDATION_FAILED', `the "metadata" field is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LogLensError('VALIDATION_FAILED', 'the "metadata" field must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
