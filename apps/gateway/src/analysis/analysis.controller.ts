import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { negotiate } from '@fastify/accept-negotiator';
import { randomUUID } from 'node:crypto';
import { rawResponse, type HttpReply } from '../http/http-adapter';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiReply, AUTHENTICATED, OVER_NATS, type JsonText } from '../openapi/api-replies';
import type { NatsConnection } from 'nats';
import {
  ANALYZE_MAX_RECORDS,
  AgentSubjects,
  AnalysisSubjects,
  LogLensError,
  PACK_ENCODINGS,
  type AnalyzeCancelEvent,
  type AnalyzeRequest,
  type AnalyzeReply,
  type ListResultsReply,
  type LogRecordInput,
  type PackEncoding,
} from '@loglens/contracts';
import { EventBus, INLINE_PAYLOAD_MAX, NATS_CONNECTION, PACK_MIN_CHARS, RpcClient, packJson, putPayloadJson, takePayload, unpackJson } from '@loglens/nest-common';
import { detectAgent } from './agent-detect';
import { AnalyzeQueryDto, ResultsQueryDto } from './analysis.dto';

@ApiTags('analysis')
@ApiSecurity('api-key')
@Controller('api/v1')
export class AnalysisController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly events: EventBus,
  ) {}

  @Post('models/analyze')
  @HttpCode(200)
  @ApiOperation({ summary: 'Analyze log records now: windows with anomaly scores, and every record with its template and window' })
  @ApiReply('AnalyzeReply', { errors: [...AUTHENTICATED, 400, 413, ...OVER_NATS] })
  @ApiBody({ schema: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object', properties: { message: { type: 'string' }, timestamp: { type: 'string' }, source: { type: 'string' }, host: { type: 'string' } }, required: ['message'] }] } } })
  async analyze(
    @Body() body: unknown,
    @Query() query: AnalyzeQueryDto,
    @Res({ passthrough: true }) http: HttpReply,
    @Headers('accept-encoding') acceptEncoding?: string,
  ): Promise<AnalyzeReply | JsonText<AnalyzeReply>> {
    if (!Array.isArray(body)) throw new LogLensError('VALIDATION_FAILED', 'the body must be a JSON array of log records (strings or objects with "message")');
    if (body.length === 0) throw new LogLensError('VALIDATION_FAILED', 'the array of records is empty');
    if (body.length > ANALYZE_MAX_RECORDS) {
      throw new LogLensError('PAYLOAD_TOO_LARGE', `at most ${ANALYZE_MAX_RECORDS} records per request (got ${body.length}); split the file or stream it to logs.* instead`);
    }
    const records = body as LogRecordInput[];
    const agent = !query.agent || query.agent === 'auto' ? detectAgent(records) : query.agent;
    const subject = agent === 'wifi' ? AgentSubjects.analyzeWifi : AgentSubjects.analyzeBase;
    const requestId = randomUUID();
    const source = query.source ? { source: query.source } : {};
    // NATS carries 1 MiB per message by default: a large body is packed (log lines shrink 5-10×) and only when that
    // is still too large goes through the JetStream object store
    const json = JSON.stringify(records);
    const packed = json.length > PACK_MIN_CHARS ? await packJson(json) : undefined;
    const stored = async (): Promise<AnalyzeRequest> =>
      Buffer.byteLength(json) > INLINE_PAYLOAD_MAX ? { payloadObject: await putPayloadJson(this.nc, `{"records":${json}}`), requestId, ...source } : { records, requestId, ...source };
    const res = rawResponse(http);
    // a large reply comes packed; when the client accepts how it is packed (Brotli, or gzip, which this asks the agent
    // for), its bytes go on as they are with that Content-Encoding instead of being unpacked here (Fastify only)
    const express = res === (http as unknown);
    const passOn = express ? undefined : ((negotiate(acceptEncoding ?? '', [...PACK_ENCODINGS]) ?? undefined) as PackEncoding | undefined);
    const asked: Pick<AnalyzeRequest, 'packedReply' | 'packedReplyEncoding'> = { packedReply: true, ...(passOn === 'gzip' ? { packedReplyEncoding: 'gzip' } : {}) };
    const req: AnalyzeRequest = packed === undefined ? { records, requestId, ...source, ...asked } : packed.length <= INLINE_PAYLOAD_MAX ? { recordsPacked: packed, requestId, ...source, ...asked } : { ...(await stored()), ...asked };
    // a client that hangs up before the answer: the agent is told to stop instead of finishing for nobody
    const onClose = () => {
      if (res && !res.writableEnded) this.events.publish(AgentSubjects.analyzeCancel, { requestId } satisfies AnalyzeCancelEvent);
    };
    res.once('close', onClose);
    try {
      const reply = await this.rpc.call(subject, req, { timeoutMs: 60_000 }).catch(async (e: unknown) => {
        // an agent older than packed bodies refuses their fields: asked again the way it reads
        if (!(e instanceof LogLensError && e.code === 'VALIDATION_FAILED' && /property (recordsPacked|packedReply|packedReplyEncoding) should not exist/.test(e.message))) throw e;
        return this.rpc.call(subject, await stored(), { timeoutMs: 60_000 });
      });
      if ('packed' in reply) {
        const encoding = reply.encoding ?? 'br';
        if (express) return JSON.parse((await unpackJson(reply.packed, undefined, encoding)).toString('utf8')) as AnalyzeReply; // Express would answer a Buffer as {"type":"Buffer",…}
        http.type('application/json; charset=utf-8');
        http.header('vary', 'accept-encoding');
        if (encoding === passOn) {
          http.header('content-encoding', encoding);
          return Buffer.from(reply.packed, 'base64') as JsonText<AnalyzeReply>;
        }
        // the agent's JSON text as it wrote it: sent on as it is, not parsed and written again
        return (await unpackJson(reply.packed, undefined, encoding)) as JsonText<AnalyzeReply>;
      }
      return 'payloadObject' in reply ? await takePayload<AnalyzeReply>(this.nc, reply.payloadObject) : reply;
    } finally {
      res.off('close', onClose);
    }
  }

  @Get('analysis/results')
  @ApiOperation({ summary: 'Stored window results, newest first (filter by source, agent, time, anomalous)' })
  @ApiReply('ListResultsReply', { errors: [...AUTHENTICATED, 400, ...OVER_NATS] })
  results(@Query() query: ResultsQueryDto): Promise<ListResultsReply> {
    return this.rpc.call(AnalysisSubjects.listResults, { ...query }, { timeoutMs: 10_000, retries: 1 });
  }
}
