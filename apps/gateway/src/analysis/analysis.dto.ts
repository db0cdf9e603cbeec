import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { SOURCE_PATTERN } from '@loglens/contracts';

export class AnalyzeQueryDto {
  @ApiPropertyOptional({ enum: ['wifi', 'base', 'auto'], default: 'auto', description: 'auto picks by content' })
  @IsOptional()
  @IsIn(['wifi', 'base', 'auto'], { message: 'agent must be wifi, base or auto' })
  agent?: 'wifi' | 'base' | 'auto';

  @ApiPropertyOptional({ example: 'site1', description: 'source for records that do not name one (windows and ids are per source)' })
  @IsOptional()
  @Matches(SOURCE_PATTERN, { message: 'source must be 1-64 letters, digits, "_" or "-"' })
  source?: string;
}

export class ResultsQueryDto {
  @ApiPropertyOptional({ example: 'site1' })
  @IsOptional()
  @Matches(SOURCE_PATTERN, { message: 'source must be 1-64 letters, digits, "_" or "-"' })
  source?: string;

  @ApiPropertyOptional({ enum: ['wifi', 'base'] })
  @IsOptional()
  @IsIn(['wifi', 'base'], { message: 'agent must be wifi or base' })
  agent?: 'wifi' | 'base';

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time (a real calendar date)' })
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time (a real calendar date)' })
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'anomalous must be true or false' })
  anomalous?: boolean;

  @ApiPropertyOptional({ example: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
