import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IDEMPOTENCY_DEFAULT_TTL_MS } from '@loglens/contracts';

/** Idempotency-Key settings, validated at start (the same names on every gateway instance). */
export class IdempotencyEnv {
  /** how long a key's first answer is replayed (default 24 h) */
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(30 * 24 * 60 * 60 * 1000)
  @Type(() => Number)
  IDEMPOTENCY_TTL_MS: number = IDEMPOTENCY_DEFAULT_TTL_MS;

  /**
   * A claimed key whose gateway died mid-request is free again after this long; it must exceed the longest change
   * (validation waits up to 60 s for a worker).
   */
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(60 * 60 * 1000)
  @Type(() => Number)
  IDEMPOTENCY_LEASE_MS: number = 120_000;
}
