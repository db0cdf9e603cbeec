import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { NatsConnection } from 'nats';
import {
  ANALYZE_MAX_RECORDS,
  AgentSubjects,
  AnalysisSubjects,
  LogLensError,
  type AnalyzeReply,
  type AnalyzeRequest,
  type LargeReply,
  type ListResultsReply,
  type ListResultsRequest,
  type LogRecordInput,
} from '@loglens/contracts';
import { INLINE_PAYLOAD_MAX, NATS_CONNECTION, RpcClient, encodedSize, putPayload, takePayload } from '@loglens/nest-common';
import { detectAgent } from './agent-detect';
import { AnalyzeQueryDto, ResultsQueryDto } from './analysis.dto';

@ApiTags('analysis')
@ApiSecurity('api-key')
@Controller('api/v1')
export class AnalysisController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  @Post('models/analyze')
  @HttpCode(200)
  @ApiOperation({ summary: 'Analyze log records now: windows with anomaly scores, and every record with its template and window' })
  @ApiBody({ schema: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object', properties: { message: { type: 'string' }, timestamp: { type: 'string' }, source: { type: 'string' }, host: { type: 'string' } }, required: ['message'] }] } } })
  async analyze(@Body() body: unknown, @Query() query: AnalyzeQueryDto): Promise<AnalyzeReply> {
    if (!Array.isArray(body)) throw new LogLensError('VALIDATION_FAILED', 'the body must be a JSON array of log records (strings or objects with "message")');
    if (body.length === 0) throw new LogLensError('VALIDATION_FAILED', 'the array of records is empty');
    if (body.length > ANALYZE_MAX_RECORDS) {
      throw new LogLensError('PAYLOAD_TOO_LARGE', `at most ${ANALYZE_MAX_RECORDS} records per request (got ${body.length}); split the file or stream it to logs.* instead`);
    }
    const records = body as LogRecordInput[];
    const agent = !query.agent || query.agent === 'auto' ? detectAgent(records) : query.agent;
    const subject = agent === 'wifi' ? AgentSubjects.analyzeWifi : AgentSubjects.analyzeBase;
    // NATS carries 1 MiB per message by default: larger bodies go through the JetStream object store
    const req: AnalyzeRequest =
      encodedSize(records) > INLINE_PAYLOAD_MAX
        ? { payloadObject: await putPayload(this.nc, { records }), ...(query.source ? { source: query.source } : {}) }
        : { records, ...(query.source ? { source: query.source } : {}) };
    const reply = await this.rpc.call<AnalyzeReply | LargeReply>(subject, req, { timeoutMs: 60_000 });
    return 'payloadObject' in reply ? takePayload<AnalyzeReply>(this.nc, reply.payloadObject) : reply;
  }

  @Get('analysis/results')
  @ApiOperation({ summary: 'Stored window results, newest first (filter by source, agent, time, anomalous)' })
  results(@Query() query: ResultsQueryDto): Promise<ListResultsReply> {
    const req: ListResultsRequest = { ...query };
    return this.rpc.call<ListResultsReply>(AnalysisSubjects.listResults, req, { timeoutMs: 10_000, retries: 1 });
  }
}
