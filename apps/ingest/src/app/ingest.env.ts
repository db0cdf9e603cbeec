import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@loglens/nest-common';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_WIFI_PROGRAMS } from '@loglens/log-inputs';

export class IngestEnv extends BaseServiceEnv {
  /** syslog over TCP and UDP (the same port number for both) */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  @Type(() => Number)
  SYSLOG_PORT: number = 5514;

  @IsOptional()
  @IsString()
  SYSLOG_HOST: string = '0.0.0.0';

  @IsOptional()
  @Matches(/^(tcp|udp)(,(tcp|udp))?$/, { message: 'SYSLOG_PROTOCOLS must be tcp, udp or tcp,udp' })
  SYSLOG_PROTOCOLS: string = 'tcp,udp';

  /** which envelope field names the source: HOSTNAME or APP-NAME (the other is the fallback, then the peer address) */
  @IsOptional()
  @IsIn(['host', 'app'])
  SYSLOG_SOURCE_BY: 'host' | 'app' = 'host';

  /** lines longer than this many UTF-8 bytes are truncated and flagged, not dropped */
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024)
  @Type(() => Number)
  INGEST_MAX_LINE_BYTES: number = DEFAULT_MAX_LINE_BYTES;

  /** syslog APP-NAMEs whose lines go to the WiFi agent */
  @IsOptional()
  @IsString()
  INGEST_WIFI_PROGRAMS: string = DEFAULT_WIFI_PROGRAMS;

  /** source-name patterns (`ap-*,wlc-*`) whose lines go to the WiFi agent */
  @IsOptional()
  @IsString()
  INGEST_WIFI_SOURCES: string = '';

  /** publishes awaiting JetStream's ack at once */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65536)
  @Type(() => Number)
  INGEST_MAX_IN_FLIGHT: number = 2048;

  /** Prometheus metrics of the syslog inputs at http://<host>:<port>/metrics; 0 turns it off */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  @Type(() => Number)
  INGEST_METRICS_PORT: number = 9465;
}
