import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { EXPERIMENT_ACTIONS, LogLensError, type ExperimentAction, type ExperimentDto } from '@loglens/contracts';
import { actorOf, type AuthenticatedRequest } from '../auth/api-key.guard';
import { RequiresRole } from '../auth/roles';
import { CreateExperimentBodyDto, ExperimentActionBodyDto, ExperimentsQueryDto } from './experiments.dto';
import { ExperimentsService } from './experiments.service';
import { ApiReply, AUTHENTICATED, OPERATOR, OVER_NATS } from '../openapi/api-replies';

const ID_PARAM = { name: 'id', description: 'experiment id (UUID)' };

/** A/B tests, canary rollouts and shadow traffic between versions of a model. */
@ApiTags('model-management')
@ApiSecurity('api-key')
@Controller('model-management/experiments')
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  @Post()
  @RequiresRole('operator')
  @ApiBody({ type: CreateExperimentBodyDto })
  @ApiOperation({ summary: 'Start an experiment (ab, canary or shadow) on a model’s traffic; one per model, 409 while one runs' })
  @ApiReply('ExperimentDto', { status: 201, errors: [...OPERATOR, 400, 404, 409, 413, 422, ...OVER_NATS] })
  create(@Body() body: Record<string, unknown>, @Req() req: AuthenticatedRequest): Promise<ExperimentDto> {
    return this.experiments.create(body ?? {}, actorOf(req));
  }

  @Get()
  @ApiOperation({ summary: 'Experiments, newest first (filter by model, state)' })
  @ApiReply('ExperimentList', { errors: [...AUTHENTICATED, 400, ...OVER_NATS] })
  list(@Query() query: ExperimentsQueryDto): Promise<ExperimentDto[]> {
    return this.experiments.list(query);
  }

  @Get(':id')
  @ApiParam(ID_PARAM)
  @ApiOperation({ summary: 'One experiment: arms and weights, state, steps' })
  @ApiReply('ExperimentDto', { errors: [...AUTHENTICATED, 404, ...OVER_NATS] })
  get(@Param('id') id: string): Promise<ExperimentDto> {
    return this.experiments.get(checkId(id));
  }

  @Get(':id/report')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary:
      'Per-arm counts, error and anomaly rates, latency percentiles, agreement with the control; two-proportion z-tests (fixed horizon and always-valid mSPRT p-values) and Mann–Whitney U, with sample sizes; a winner recommendation',
  })
  @ApiReply('ExperimentReport', { errors: [...AUTHENTICATED, 404, ...OVER_NATS] })
  report(@Param('id') id: string): Promise<Record<string, unknown>> {
    return this.experiments.report(checkId(id));
  }

  @Post(':id/:action')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiParam(ID_PARAM)
  @ApiParam({ name: 'action', enum: EXPERIMENT_ACTIONS })
  @ApiBody({ type: ExperimentActionBodyDto, required: false })
  @ApiOperation({ summary: 'pause (weights kept, no automatic decision), resume, promote (serve the candidate; recorded as a promote) or abort (the control serves all)' })
  @ApiReply('ExperimentDto', { errors: [...OPERATOR, 400, 404, 409, 422, ...OVER_NATS] })
  change(@Param('id') id: string, @Param('action') action: string, @Body() body: ExperimentActionBodyDto, @Req() req: AuthenticatedRequest): Promise<ExperimentDto> {
    if (!(EXPERIMENT_ACTIONS as readonly string[]).includes(action)) {
      throw new LogLensError('NOT_FOUND', `no experiment action "${action}": one of ${EXPERIMENT_ACTIONS.join(', ')}`);
    }
    return this.experiments.change(checkId(id), action as ExperimentAction, actorOf(req), body ?? {});
  }
}

function checkId(id: string): string {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new LogLensError('NOT_FOUND', `no experiment with id ${id}`);
  return id;
}
