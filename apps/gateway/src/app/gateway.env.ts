import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@loglens/nest-common';

export class GatewayEnv extends BaseServiceEnv {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  @Type(() => Number)
  GATEWAY_PORT: number = 3000;

  @IsOptional()
  @IsString()
  GATEWAY_HOST: string = '0.0.0.0';

  /** `role:key` pairs, comma-separated: `viewer:k1,operator:k2,admin:k3` */
  @Matches(/^\s*(viewer|operator|admin):[^,:\s]{8,}(\s*,\s*(viewer|operator|admin):[^,:\s]{8,})*\s*$/, {
    message: 'API_KEYS must be role:key pairs (roles viewer, operator, admin; keys of 8+ characters), e.g. viewer:abcdefgh,admin:ijklmnop',
  })
  API_KEYS: string = '';

  /** largest JSON body accepted (body-parser syntax) */
  @IsOptional()
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 10mb' })
  BODY_LIMIT: string = '10mb';

  /** built admin console to serve at / (skipped when the folder does not exist) */
  @IsOptional()
  @IsString()
  ADMIN_DIST: string = 'dist/apps/admin/browser';

  /** how long an HTTP request waits for a service over NATS */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  @Type(() => Number)
  REQUEST_TIMEOUT_MS: number = 10_000;
}
