import { ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class BulkLogsQueryDto {
  @ApiPropertyOptional({ example: 'billing-batch', description: 'source name (sanitised to letters, digits, "_", "-"); a record object\'s own "source" wins; default "bulk"' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  source?: string;

  @ApiPropertyOptional({ enum: ['base', 'wifi'], description: 'agent to analyse the lines; default by INGEST_WIFI_PROGRAMS / INGEST_WIFI_SOURCES, else base' })
  @IsOptional()
  @IsIn(['base', 'wifi'], { message: 'agent must be base or wifi' })
  agent?: 'base' | 'wifi';
}

export class OtlpLogsQueryDto {
  @ApiPropertyOptional({ enum: ['base', 'wifi'], description: 'agent for every record (also header x-loglens-agent, or resource attribute loglens.agent)' })
  @IsOptional()
  @IsIn(['base', 'wifi'], { message: 'agent must be base or wifi' })
  agent?: 'base' | 'wifi';
}

/** `{ code, message }`, as every error; 429 and 503 carry Retry-After and are retried by OTLP clients. */
export const INGEST_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    code: { type: 'string', enum: ['INVALID_BODY', 'INVALID_PROTOBUF', 'INVALID_UTF8', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE', 'STREAM_FULL', 'OVERLOADED', 'STREAM_UNAVAILABLE'] },
    message: { type: 'string' },
  },
};
