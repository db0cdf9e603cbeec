import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { UploadFieldsInterceptor, type UploadedFile } from '../http/upload-fields.interceptor';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { LogLensError, MODEL_NAME_PATTERN, SOURCE_NAME_PATTERN, type JobDto, type SourceBindingDto } from '@loglens/contracts';
import { actorOf, type AuthenticatedRequest } from '../auth/api-key.guard';
import { RequiresRole } from '../auth/roles';
import { uploadLimitBytes } from '../management/upload-limit';
import { BindBodyDto, JobsQueryDto, TrainBodyDto, TrainFormDto, UnbindQueryDto } from './sources.dto';
import { SourcesService } from './sources.service';
import { trainParamsOf } from './train-input';
import { ApiReply, AUTHENTICATED, OPERATOR, OVER_NATS } from '../openapi/api-replies';

interface TrainParts {
  logs?: UploadedFile[];
}

/** Per-source models: train jobs and source → model bindings. */
@ApiTags('model-management')
@ApiSecurity('api-key')
@ApiExtraModels(TrainBodyDto, TrainFormDto)
@Controller('model-management')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Post('models/:name/train')
  @HttpCode(202)
  @RequiresRole('operator')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(TrainBodyDto) }, { $ref: getSchemaPath(TrainFormDto) }] } })
  @ApiOperation({ summary: 'Train a per-source model as a job (from the LOGS stream, or from an uploaded "logs" file); 202 with the job' })
  @ApiReply('JobDto', { status: 202, errors: [...OPERATOR, 400, 404, 409, 413, 422, ...OVER_NATS] })
  @UseInterceptors(UploadFieldsInterceptor([{ name: 'logs', maxCount: 1 }], { fileSize: uploadLimitBytes(), fields: 20 }))
  train(@Param('name') name: string, @UploadedFiles() files: TrainParts | undefined, @Body() body: Record<string, unknown>, @Req() req: AuthenticatedRequest): Promise<JobDto> {
    if (!MODEL_NAME_PATTERN.test(name)) throw new LogLensError('VALIDATION_FAILED', `"${name}" is not a model name: lower-case letters, digits, ".", "_" or "-" (max 64)`);
    const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/');
    const logs = files?.logs?.[0];
    return this.sources.train(name, trainParamsOf(body ?? {}, multipart), logs ? { name: logs.originalname, bytes: logs.buffer } : null, actorOf(req));
  }

  @Get('jobs')
  @ApiOperation({ summary: 'Jobs, newest first' })
  @ApiReply('JobList', { errors: [...AUTHENTICATED, 400, ...OVER_NATS] })
  jobs(@Query() query: JobsQueryDto): Promise<JobDto[]> {
    return this.sources.jobs(query);
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'One job: state, progress, result or error' })
  @ApiReply('JobDto', { errors: [...AUTHENTICATED, 404, ...OVER_NATS] })
  job(@Param('id') id: string): Promise<JobDto> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new LogLensError('NOT_FOUND', `no job ${id}`);
    return this.sources.job(id);
  }

  @Get('sources')
  @ApiOperation({ summary: 'Source → model bindings' })
  @ApiReply('SourceBindingList', { errors: [...AUTHENTICATED, ...OVER_NATS] })
  bindings(): Promise<SourceBindingDto[]> {
    return this.sources.bindings();
  }

  @Put('sources/:source')
  @RequiresRole('operator')
  @ApiOperation({ summary: 'Bind a source to a model: the agents score its windows with that model’s serving version' })
  @ApiReply('SourceBindingDto', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  bind(@Param('source') source: string, @Body() body: BindBodyDto, @Req() req: AuthenticatedRequest): Promise<SourceBindingDto> {
    checkSource(source);
    return this.sources.bind({ source, model: body.model, actor: actorOf(req), ...(body.reason ? { reason: body.reason } : {}) });
  }

  @Delete('sources/:source')
  @RequiresRole('operator')
  @ApiOperation({ summary: 'Unbind a source: its windows go back to the agent’s default model' })
  @ApiReply('SourceBindingDto', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  unbind(@Param('source') source: string, @Query() query: UnbindQueryDto, @Req() req: AuthenticatedRequest): Promise<SourceBindingDto> {
    checkSource(source);
    return this.sources.unbind({ source, actor: actorOf(req), ...(query.reason ? { reason: query.reason } : {}) });
  }
}

function checkSource(source: string): void {
  if (!SOURCE_NAME_PATTERN.test(source)) throw new LogLensError('VALIDATION_FAILED', `"${source}" is not a source name: 1-64 letters, digits, "_" or "-"`, ['source: not a source name']);
}
