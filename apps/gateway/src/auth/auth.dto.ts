import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { API_KEY_ROLES, AUDIT_CURSOR_PATTERN, KEY_NAME_MESSAGE, KEY_NAME_PATTERN, type ApiKeyDto, type ApiKeyRole, type AuditEntryDto } from '@loglens/contracts';

export class CreateKeyBodyDto {
  @ApiProperty({ example: 'ci-deployer', description: 'what the key is for (1-64 characters)' })
  @IsString()
  @Matches(KEY_NAME_PATTERN, { message: KEY_NAME_MESSAGE })
  name!: string;

  @ApiProperty({ enum: API_KEY_ROLES, example: 'operator' })
  @IsIn(API_KEY_ROLES as unknown as string[], { message: `role must be one of ${API_KEY_ROLES.join(', ')}` })
  role!: ApiKeyRole;
}

export class ApiKeyResponseDto implements ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: API_KEY_ROLES }) role!: ApiKeyRole;
  @ApiProperty({ example: '3f9a0c12', description: 'first 8 hex characters of the key’s SHA-256' }) fingerprint!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ nullable: true, type: String, description: 'coarse: updated about once a minute' }) lastUsedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}

export class CreatedKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({ description: 'the key itself: shown this once, never stored' }) key!: string;
}

export class KeyListResponseDto {
  @ApiProperty({ type: [ApiKeyResponseDto] }) keys!: ApiKeyResponseDto[];
}

export class TokenResponseDto {
  @ApiProperty({ description: 'pass as ?token= where a URL must carry the credential (GET /api/v1/events)' }) token!: string;
  @ApiProperty({ description: 'at most 5 minutes from now' }) expiresAt!: string;
}

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'key id or key name' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor?: string;

  @ApiPropertyOptional({ example: 'version.deploy', description: 'an action, or a prefix ending in "." (version.)' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9.-]{0,63}$/, { message: 'action must look like version.deploy (or a prefix such as version.)' })
  action?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time' })
  to?: string;

  @ApiPropertyOptional({ example: 100, description: '1-500, default 100' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(500, { message: 'limit must be at most 500' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(AUDIT_CURSOR_PATTERN, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class AuditEntryResponseDto implements AuditEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() at!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty() actorName!: string;
  @ApiProperty({ enum: API_KEY_ROLES }) role!: ApiKeyRole;
  @ApiProperty({ example: 'version.tags' }) action!: string;
  @ApiProperty({ example: 'PUT' }) method!: string;
  @ApiProperty({ example: '/model-management/:version/tags' }) route!: string;
  @ApiPropertyOptional({ example: 'hdfs-session-logreg@2' }) target?: string;
  @ApiProperty() clientIp!: string;
  @ApiProperty() status!: number;
  @ApiPropertyOptional() errorCode?: string;
}

export class AuditPageResponseDto {
  @ApiProperty({ type: [AuditEntryResponseDto] }) entries!: AuditEntryResponseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
