import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { API_KEY_ROLES, AUDIT_CURSOR_PATTERN, KEY_NAME_MESSAGE, KEY_NAME_PATTERN, type ApiKeyRole } from '@loglens/contracts';

export class CreateKeyBodyDto {
  @ApiProperty({ example: 'ci-deployer', description: 'what the key is for (1-64 characters)' })
  @IsString()
  @Matches(KEY_NAME_PATTERN, { message: KEY_NAME_MESSAGE })
  name!: string;

  @ApiProperty({ enum: API_KEY_ROLES, example: 'operator' })
  @IsIn(API_KEY_ROLES as unknown as string[], { message: `role must be one of ${API_KEY_ROLES.join(', ')}` })
  role!: ApiKeyRole;
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
