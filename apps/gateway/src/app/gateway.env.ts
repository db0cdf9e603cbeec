import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MinLength, Min, ValidateIf } from 'class-validator';
import { BaseServiceEnv } from '@loglens/nest-common';
import { HTTP_ADAPTERS, type HttpAdapterName } from '../http/http-adapter';

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

  /** the HTTP server under Nest: fastify (default) or express (the earlier one, kept selectable) */
  @IsOptional()
  @IsIn(HTTP_ADAPTERS, { message: 'GATEWAY_HTTP_ADAPTER must be fastify or express' })
  GATEWAY_HTTP_ADAPTER: HttpAdapterName = 'fastify';

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

  /**
   * Origins (scheme://host[:port], comma-separated) whose pages may call the API from a browser; `*` allows any.
   * Empty (the default): same origin only — the console served by the gateway itself needs nothing here.
   */
  @IsOptional()
  @Matches(/^\s*$|^\s*\*\s*$|^\s*https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*$/, {
    message: 'CORS_ORIGINS must be empty, * or comma-separated origins like https://console.example.com',
  })
  CORS_ORIGINS: string = '';

  /** requests a minute per API key (all routes but predict/infer), counted before the key is checked or a body read */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Type(() => Number)
  RATE_LIMIT_KEY_PER_MIN: number = 6000;

  /** requests a minute per client IP without a key (and refused keys count here too) */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Type(() => Number)
  RATE_LIMIT_ANON_PER_MIN: number = 1200;

  /** predict and /v2 infer requests a minute per API key: a budget of their own, high enough for load tests */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Type(() => Number)
  RATE_LIMIT_PREDICT_PER_MIN: number = 600_000;

  /**
   * Take the client IP from X-Forwarded-For: empty (default) never; `true` the left-most address; a number the hops
   * to trust; or addresses/subnets of the proxies (`loopback`, `10.0.0.0/8`, …) — Express's `trust proxy` values.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY: string = '';

  /** open /api/v1/events streams per API key */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Type(() => Number)
  SSE_MAX_PER_KEY: number = 20;

  /** open /api/v1/events streams on this gateway */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Type(() => Number)
  SSE_MAX_TOTAL: number = 500;

  /** deepest nesting of arrays/objects a JSON (or NDJSON line) body may have */
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(10_000)
  @Type(() => Number)
  JSON_MAX_DEPTH: number = 64;
}
