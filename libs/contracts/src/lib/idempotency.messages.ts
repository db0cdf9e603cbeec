import { IsIn, IsInt, IsObject, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

/** What a client may send as `Idempotency-Key`: 1–255 visible ASCII characters (a UUID is typical). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** How long a key is remembered by default (IDEMPOTENCY_TTL_MS). */
export const IDEMPOTENCY_DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Claims an idempotency key before a change runs. `scope` keeps callers apart (the gateway sends the caller's
 * identity), `fingerprint` is a hash of the request (method, route, body), so the same key with another request is
 * told apart from a retry. One claim wins across every gateway: the registry inserts the key in Postgres.
 */
export class ClaimIdempotencyKeyRequest {
  @Matches(/^[\x21-\x7e]{1,128}$/, { message: 'scope must be 1-128 visible ASCII characters' })
  scope!: string;

  @Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'key must be 1-255 visible ASCII characters' })
  key!: string;

  @Matches(/^[a-f0-9]{64}$/, { message: 'fingerprint must be a sha256 in lower-case hex' })
  fingerprint!: string;

  /** `POST /model-management/rollback`: named in the 422 when the key is reused for another request */
  @MaxLength(300)
  request!: string;

  /** how long the answer is replayed */
  @IsInt()
  @Min(1000)
  @Max(30 * 24 * 60 * 60 * 1000)
  ttlMs!: number;

  /** a claim not settled within this long (its gateway died mid-request) may be taken over */
  @IsInt()
  @Min(1000)
  @Max(60 * 60 * 1000)
  leaseMs!: number;
}

/**
 * `claimed`: go ahead, then settle. `replay`: the first answer (status + body) to send again. `in-progress`: the same
 * request is running elsewhere; ask again. `mismatch`: the key was used for another request (`request` names it).
 */
export type ClaimIdempotencyKeyReply =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; status: number; body: unknown; firstAt: string }
  | { outcome: 'in-progress' }
  | { outcome: 'mismatch'; request: string; firstAt: string };

/** Settles a claim: stores the answer to replay, or (no `status`) releases the key so a retry runs again. */
export class SettleIdempotencyKeyRequest {
  @Matches(/^[\x21-\x7e]{1,128}$/, { message: 'scope must be 1-128 visible ASCII characters' })
  scope!: string;

  @Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'key must be 1-255 visible ASCII characters' })
  key!: string;

  @Matches(/^[a-f0-9]{64}$/, { message: 'fingerprint must be a sha256 in lower-case hex' })
  fingerprint!: string;

  @IsIn(['store', 'release'])
  action!: 'store' | 'release';

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(599)
  status?: number;

  @IsOptional()
  @IsObject()
  body?: Record<string, unknown>;
}
export interface SettleIdempotencyKeyReply {
  settled: boolean;
}
