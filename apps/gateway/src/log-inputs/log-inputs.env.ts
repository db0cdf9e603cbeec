import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_WIFI_PROGRAMS } from '@loglens/log-inputs';

/** The gateway's log-input settings (the same names the ingest app reads), validated at start with the rest. */
export class LogInputsEnv {
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024)
  @Type(() => Number)
  INGEST_MAX_LINE_BYTES: number = DEFAULT_MAX_LINE_BYTES;

  @IsOptional()
  @IsString()
  INGEST_WIFI_PROGRAMS: string = DEFAULT_WIFI_PROGRAMS;

  @IsOptional()
  @IsString()
  INGEST_WIFI_SOURCES: string = '';

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65536)
  @Type(() => Number)
  INGEST_MAX_IN_FLIGHT: number = 2048;
}
