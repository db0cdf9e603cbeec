import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { API_KEY_ROLES, type ApiKeyRole } from './limits';

/**
 * API keys and the audit log. The registry keeps both in Postgres; only the gateway calls these subjects (it is the
 * one place user credentials are checked). A key never travels over NATS: the gateway hashes it and sends the digest.
 */


/** SHA-256 of the key, lower-case hex. */
export const KEY_HASH_PATTERN = /^[0-9a-f]{64}$/;
/** A key's display name: what it is for ("ci-deployer", "grafana"). */
export const KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._@:-]{0,63}$/;
export const KEY_NAME_MESSAGE = 'name must be 1-64 letters, digits, spaces or "._@:-", starting with a letter or digit';

/** One stored key as every list shows it: never the key, never its full hash. */
export interface ApiKeyDto {
  id: string;
  name: string;
  role: ApiKeyRole;
  /** the first 8 hex characters of the key's SHA-256: tells keys apart in lists and in the audit log */
  fingerprint: string;
  createdAt: string;
  createdBy: string;
  /** coarse: the gateways report use about once a minute */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** What a gateway caches to check keys: the active keys' hashes. */
export interface ApiKeyHashDto {
  id: string;
  name: string;
  role: ApiKeyRole;
  hash: string;
}

export class ListApiKeysRequest {
  /** revoked keys too */
  @IsOptional()
  @IsIn([true, false])
  includeRevoked?: boolean;
}
export interface ListApiKeysReply {
  keys: ApiKeyDto[];
}

export class ApiKeyHashesRequest {}
export interface ApiKeyHashesReply {
  keys: ApiKeyHashDto[];
}

/** Stores a new key's hash (the gateway or `npm start` made the key and shows it once). */
export class CreateApiKeyRequest {
  @Matches(KEY_NAME_PATTERN, { message: KEY_NAME_MESSAGE })
  name!: string;

  @IsIn(API_KEY_ROLES as unknown as string[], { message: `role must be one of ${API_KEY_ROLES.join(', ')}` })
  role!: ApiKeyRole;

  @Matches(KEY_HASH_PATTERN, { message: 'hash must be the SHA-256 of the key in lower-case hex' })
  hash!: string;

  @IsString()
  @MaxLength(128)
  actor!: string;

  /** only when no active key exists yet (first start): CONFLICT otherwise, so two launchers never both create keys */
  @IsOptional()
  @IsIn([true, false])
  onlyIfNone?: boolean;
}
export type CreateApiKeyReply = ApiKeyDto;

/** Revokes a key; the last active admin key cannot be revoked (CONFLICT). */
export class RevokeApiKeyRequest {
  @IsUUID('all', { message: 'id must be a key id (a UUID)' })
  id!: string;

  @IsString()
  @MaxLength(128)
  actor!: string;
}
export type RevokeApiKeyReply = ApiKeyDto;

/** Marks keys used (the gateways batch this about once a minute). */
export class TouchApiKeysRequest {
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  ids!: string[];

  @IsISO8601({ strict: true })
  at!: string;
}
export interface TouchApiKeysReply {
  updated: number;
}

/** Broadcast after a key was created or revoked: every gateway reloads its key cache. */
export class ApiKeysChangedEvent {
  @IsIn(['created', 'revoked'])
  change!: 'created' | 'revoked';

  @IsString()
  @MaxLength(64)
  id!: string;

  @IsISO8601()
  at!: string;
}

/** One audited state change made through the gateway. */
export class AuditEntryInput {
  /** when the gateway answered */
  @IsISO8601({ strict: true })
  at!: string;

  /** key id (a UUID, or `bootstrap:<fingerprint>` for an API_KEYS key) */
  @IsString()
  @MaxLength(64)
  actorId!: string;

  @IsString()
  @MaxLength(64)
  actorName!: string;

  @IsIn(API_KEY_ROLES as unknown as string[])
  role!: ApiKeyRole;

  /** what was done, e.g. `version.deploy`, `version.tags`, `key.create` (docs/security.md lists them) */
  @Matches(/^[a-z][a-z0-9.-]{0,63}$/)
  action!: string;

  @IsIn(['POST', 'PUT', 'PATCH', 'DELETE'])
  method!: string;

  /** the route template, e.g. `/model-management/:version/tags` */
  @IsString()
  @MaxLength(256)
  route!: string;

  /** the model / version / alias / source / key the call was about (`hdfs@3`, `source:web`, `key:<id>`) */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  target?: string;

  @IsString()
  @MaxLength(64)
  clientIp!: string;

  @IsInt()
  @Min(100)
  @Max(599)
  status!: number;

  /** the error code of a refused or failed call */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  errorCode?: string;
}

/** A batch of audit entries; each is checked as AuditEntryInput by the registry (see CreateTrainJobRequest for why). */
export class RecordAuditRequest {
  @IsArray()
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  entries!: AuditEntryInput[];
}
export interface RecordAuditReply {
  recorded: number;
}

export interface AuditEntryDto extends AuditEntryInput {
  id: string;
}

/** A page boundary of the audit log: `<time in ms>_<id>` of the last entry of the previous page. */
export const AUDIT_CURSOR_PATTERN = /^[0-9]{1,15}_[0-9]{1,19}$/;

/**
 * The audit log, newest first by the time the gateway answered (entries that reached the registry late, e.g. after an
 * outage, still sort where they happened); `cursor` is the `nextCursor` of the previous page.
 */
export class ListAuditRequest {
  /** key id or key name */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor?: string;

  /** an action, or a prefix ending in "." (`version.`) */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9.-]{0,63}$/, { message: 'action must look like version.deploy (or a prefix such as version.)' })
  action?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time' })
  to?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @Matches(AUDIT_CURSOR_PATTERN, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
export interface ListAuditReply {
  entries: AuditEntryDto[];
  /** pass as `cursor` for the next (older) page; null on the last page */
  nextCursor: string | null;
}
