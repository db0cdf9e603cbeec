import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EXPECTED_CURRENT_PATTERN, MODEL_NAME_PATTERN, VERSION_REF_PATTERN } from '@loglens/contracts';
import { EXPECTED_CURRENT_DOC } from './expected-current';

export class RollbackBodyDto {
  @ApiProperty({ example: 'hdfs-session-logreg' })
  @IsString()
  @Matches(MODEL_NAME_PATTERN, { message: 'model must be a model name' })
  model!: string;

  @ApiPropertyOptional({ example: 'hdfs-session-logreg@1', description: 'default: the version that served before the current one' })
  @IsOptional()
  @IsString()
  @Matches(VERSION_REF_PATTERN, { message: 'to must be a version reference (name@N)' })
  to?: string;

  @ApiPropertyOptional({ example: 'false positives on the night shift' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ example: 'hdfs-session-logreg@2', description: EXPECTED_CURRENT_DOC })
  @IsOptional()
  @IsString()
  @Matches(EXPECTED_CURRENT_PATTERN, { message: 'expectedCurrent must be name@<number>, <number> or "none"' })
  expectedCurrent?: string;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ example: 'hdfs-session-logreg' })
  @IsOptional()
  @Matches(MODEL_NAME_PATTERN, { message: 'model must be a model name' })
  model?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 time (a real calendar date)' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 time (a real calendar date)' })
  to?: string;

  @ApiPropertyOptional({ example: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class SetAliasBodyDto {
  @ApiProperty({ example: 'hdfs-session-logreg@2', description: 'the version the alias points at (name@N or N)' })
  @IsString()
  @Matches(/^([a-z0-9][a-z0-9._-]{0,63}@)?([1-9][0-9]{0,8}|latest|[a-z][a-z0-9_-]{0,31})$/, { message: 'version must be name@N, N, latest or another alias' })
  version!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ example: 'hdfs-session-logreg@2', description: EXPECTED_CURRENT_DOC })
  @IsOptional()
  @IsString()
  @Matches(EXPECTED_CURRENT_PATTERN, { message: 'expectedCurrent must be name@<number>, <number> or "none"' })
  expectedCurrent?: string;
}

export class TagsBodyDto {
  @ApiProperty({ example: ['nightly', 'hdfs'] })
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  tags!: string[];
}

/** The multipart form of an upload (documented for OpenAPI; files arrive through multer). */
export class UploadFormDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'the ONNX model file' })
  model!: unknown;

  @ApiPropertyOptional({ type: 'string', format: 'binary', description: 'optional scaler ONNX applied before the model' })
  scaler?: unknown;

  @ApiPropertyOptional({
    type: 'string',
    description: 'JSON: { featureSchema?, threshold?, inputName?, scoreOutput?, baseline?, metrics?, tags?, task?, description? }',
    example: '{"featureSchema":{"version":"v1","features":[{"name":"a"}]},"threshold":0.5}',
  })
  metadata?: string;
}
