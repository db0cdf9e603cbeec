import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MinLength, Min, ValidateIf } from 'class-validator';
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

  /**
   * Bootstrap keys, `role:key` pairs, comma-separated: `viewer:k1,operator:k2,admin:k3`. Hashed in memory, never
   * stored or printed; the keys made through /api/v1/auth/keys live (hashed) in the registry. Optional.
   */
  @ValidateIf((e: GatewayEnv) => e.API_KEYS !== '')
  @Matches(/^\s*(viewer|operator|admin):[^,:\s]{8,}(\s*,\s*(viewer|operator|admin):[^,:\s]{8,})*\s*$/, {
    message: 'API_KEYS must be role:key pairs (roles viewer, operator, admin; keys of 8+ characters), e.g. viewer:abcdefgh,admin:ijklmnop',
  })
  API_KEYS: string = '';

  /**
   * Signs the short-lived tokens of POST /api/v1/auth/tokens; every gateway of a stack needs the same one (32+
   * characters). Without it each process makes its own, and a token works only on the gateway that issued it.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'GATEWAY_TOKEN_SECRET must be at least 32 characters' })
  GATEWAY_TOKEN_SECRET?: string;

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
