import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DriftSubjects, LogLensError, type DriftReportReply } from '@loglens/contracts';
import { RpcClient } from '@loglens/nest-common';
import { ApiReply, AUTHENTICATED, OVER_NATS } from '../openapi/api-replies';
import { DriftRangeError, resolveRange } from '@loglens/drift';

const REF_PARAM = { name: 'version', example: 'app-logs@3', description: 'name@N, name@latest or name@alias' };

/** A version's drift report: live profile buckets merged over a range and compared with its reference profile. */
@ApiTags('model-management')
@ApiSecurity('api-key')
@Controller('model-management')
export class DriftController {
  constructor(private readonly rpc: RpcClient) {}

  @Get(':version/drift')
  @ApiParam(REF_PARAM)
  @ApiQuery({ name: 'window', required: false, enum: ['1h', '24h', '7d'], description: 'back from `to` (or now); default 1h' })
  @ApiQuery({ name: 'from', required: false, description: 'custom range start, ISO 8601 (instead of window)' })
  @ApiQuery({ name: 'to', required: false, description: 'range end, ISO 8601; default now' })
  @ApiOperation({
    summary:
      'Drift of the live inputs against the version’s reference profile: per feature {statistic, value, threshold, drifted, reference, current}, the dataset verdict, template mix, unseen-template rate, score drift and anomaly-rate change (state no-reference / no-data when there is nothing to compare)',
  })
  @ApiReply('DriftReportReply', { errors: [...AUTHENTICATED, 400, 404, ...OVER_NATS] })
  report(@Param('version') version: string, @Query('window') window?: string, @Query('from') from?: string, @Query('to') to?: string): Promise<DriftReportReply> {
    let range: { from: number; to: number };
    try {
      range = resolveRange({ ...(single('window', window) !== undefined ? { window } : {}), ...(single('from', from) !== undefined ? { from } : {}), ...(single('to', to) !== undefined ? { to } : {}) });
    } catch (e) {
      if (e instanceof DriftRangeError) throw new LogLensError('VALIDATION_FAILED', e.message);
      throw e;
    }
    return this.rpc.call(DriftSubjects.report, { ref: version, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() }, { timeoutMs: 15_000, retries: 1 });
  }
}

/** A query parameter given twice arrives as an array: refused naming it. */
function single(name: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new LogLensError('VALIDATION_FAILED', `${name} must be given once`);
  return v;
}
