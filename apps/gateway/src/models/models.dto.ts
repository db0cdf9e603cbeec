import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EXPECTED_CURRENT_PATTERN, MODEL_NAME_PATTERN, PREDICT_MAX_ROWS, VERSION_REF_PATTERN, type PredictRow } from '@loglens/contracts';
import { EXPECTED_CURRENT_DOC } from '../management/expected-current';

/** Body of POST /api/v1/models/predict (the contract's PredictRequest, documented for OpenAPI). */
export class PredictBodyDto {
  @ApiPropertyOptional({ example: 'hdfs-session-logreg', description: 'model whose serving version answers' })
  @IsOptional()
  @IsString()
  @Matches(MODEL_NAME_PATTERN, { message: 'model must be a model name' })
  model?: string;

  @ApiPropertyOptional({ example: 'hdfs-session-logreg@1', description: 'a pinned version instead of the serving one' })
  @IsOptional()
  @IsString()
  @Matches(VERSION_REF_PATTERN, { message: 'version must look like name@<number>, name@latest or name@<alias>' })
  version?: string;

  @ApiProperty({
    description: 'rows as arrays in feature-schema order, or objects keyed by feature name',
    example: [[0, 1, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    type: 'array',
    items: { oneOf: [{ type: 'array', items: { type: 'number' } }, { type: 'object', additionalProperties: { type: 'number' } }] },
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'rows must contain at least one row' })
  @ArrayMaxSize(PREDICT_MAX_ROWS, { message: `rows must contain at most ${PREDICT_MAX_ROWS} rows` })
  rows!: PredictRow[];

  @ApiPropertyOptional({ description: 'how long to wait for a worker (ms)', example: 5000 })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(120_000)
  timeoutMs?: number;
}

export class DeployBodyDto {
  @ApiPropertyOptional({ description: 'why: kept in the transfer history', example: 'better recall on last week' })
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
