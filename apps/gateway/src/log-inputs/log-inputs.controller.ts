import { Controller, Headers, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { HttpReply as Response, HttpRequest as Request } from '../http/http-adapter';
import { BulkLogsQueryDto, INGEST_ERROR_SCHEMA, OtlpLogsQueryDto } from './log-inputs.dto';
import { LogInputsService } from './log-inputs.service';
import { ApiErrors, schemaRef } from '../openapi/api-replies';

const REFUSALS = [
  { status: 400, description: 'malformed body (bad protobuf or JSON, invalid UTF-8, a record without "message"), naming what and where' },
  { status: 413, description: 'body larger than BODY_LIMIT' },
  { status: 429, description: 'the LOGS stream is full or too much is already waiting: retry after Retry-After (nothing of the request was lost; a retry is stored once)' },
  { status: 503, description: 'JetStream unavailable: retry after Retry-After' },
];

/**
 * Log inputs over HTTP. Role viewer: a shipper's key sits in config files on many hosts, so it should be the least
 * powerful one; sending logs is what a viewer may already do through analyze, and it cannot touch models or serving.
 */
@ApiTags('log inputs')
@ApiSecurity('api-key')
@Controller()
export class LogInputsController {
  constructor(private readonly inputs: LogInputsService) {}

  @Post('v1/logs')
  @ApiOperation({
    summary: 'OTLP/HTTP logs (ExportLogsServiceRequest) from OpenTelemetry SDKs and collectors; source = resource service.name',
  })
  @ApiConsumes('application/x-protobuf', 'application/json')
  @ApiBody({ schema: { type: 'object', description: 'opentelemetry-proto collector/logs/v1 ExportLogsServiceRequest (protobuf or OTLP/JSON); gzip accepted' } })
  @ApiResponse({
    status: 200,
    description: 'ExportLogsServiceResponse (empty, or partialSuccess for records without a body), in the request\'s encoding',
    content: {
      'application/json': { schema: { type: 'object', properties: { partialSuccess: { type: 'object', properties: { rejectedLogRecords: { type: 'integer' }, errorMessage: { type: 'string' } } } } } },
      'application/x-protobuf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiErrors(401)
  @ApiResponse({ status: 415, description: 'neither application/x-protobuf nor application/json', schema: INGEST_ERROR_SCHEMA })
  @ApiResponse({ status: 400, schema: INGEST_ERROR_SCHEMA, description: REFUSALS[0].description })
  @ApiResponse({ status: 429, schema: INGEST_ERROR_SCHEMA, description: REFUSALS[2].description })
  @ApiResponse({ status: 503, schema: INGEST_ERROR_SCHEMA, description: REFUSALS[3].description })
  otlp(@Req() req: Request, @Res() res: Response, @Query() query: OtlpLogsQueryDto, @Headers('x-loglens-agent') agent?: string): Promise<void> {
    return this.inputs.otlp(req, res, query.agent ?? (agent === 'wifi' || agent === 'base' ? agent : undefined));
  }

  @Post('api/v1/logs')
  @ApiOperation({ summary: 'Bulk upload for scripts and curl: newline-delimited JSON objects {message, timestamp?, host?, source?, …} or plain text lines' })
  @ApiConsumes('application/x-ndjson', 'text/plain', 'application/json')
  @ApiBody({ schema: { type: 'string', example: '{"message":"job 42 done","timestamp":"2026-12-04T10:00:00Z"}\nplain text line' } })
  @ApiResponse({ status: 202, description: 'every line stored in the LOGS stream', schema: schemaRef('BulkLogsReply') })
  @ApiErrors(401)
  @ApiResponse({ status: 400, schema: INGEST_ERROR_SCHEMA, description: REFUSALS[0].description })
  @ApiResponse({ status: 413, schema: INGEST_ERROR_SCHEMA, description: REFUSALS[1].description })
  @ApiResponse({ status: 429, schema: INGEST_ERROR_SCHEMA, description: REFUSALS[2].description })
  @ApiResponse({ status: 503, schema: INGEST_ERROR_SCHEMA, description: REFUSALS[3].description })
  bulk(@Req() req: Request, @Res() res: Response, @Query() query: BulkLogsQueryDto): Promise<void> {
    return this.inputs.bulk(req, res, query);
  }
}
