import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CONSUMER_NAME_PATTERN, DEAD_LETTERS_MAX_LIMIT } from '@loglens/contracts';

export class DeadLettersQueryDto {
  @ApiPropertyOptional({ example: 100, description: `1-${DEAD_LETTERS_MAX_LIMIT}, default 100` })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(DEAD_LETTERS_MAX_LIMIT, { message: `limit must be at most ${DEAD_LETTERS_MAX_LIMIT}` })
  limit?: number;

  @ApiPropertyOptional({ example: 1234, description: 'the `next` of the previous page: only dead letters older than this sequence' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'before must be an integer (the next of a previous page)' })
  @Min(1, { message: 'before must be at least 1' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'before is too large' })
  before?: number;

  @ApiPropertyOptional({ example: 'loglens-agent-base', description: 'only what this durable consumer gave up on (e.g. loglens-agent-base, loglens-agent-wifi, loglens-registry-results)' })
  @IsOptional()
  @Matches(CONSUMER_NAME_PATTERN, { message: 'consumer must be a durable consumer name (letters, digits, "_" or "-", at most 64)' })
  consumer?: string;
}
