import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EXPECTED_CURRENT_PATTERN, EXPLAIN_MAX_ROWS, MODEL_NAME_PATTERN, PREDICT_MAX_ROWS, VERSION_REF_PATTERN, type PredictRow } from '@loglens/contracts';
import { EXPECTED_CURRENT_DOC } from '../management/expected-current';

/** `explainTop` on predict and explain: validated as the contract's predict check does, documented once. */
function ExplainTop(): PropertyDecorator {
  const message = 'explainTop must be an integer of at least 1';
  return applyDecorators(
    ApiPropertyOptional({
      description: "with explanations: keep each row's k attributions of largest |contribution| and add `attributionSum` (the whole list's sum), so the rest is attributionSum − Σ kept",
      example: 5,
      minimum: 1,
    }),
    IsOptional(),
    IsInt({ message }),
    Min(1, { message }),
  );
}

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

  @ApiPropertyOptional({ description: 'sticky key of an experiment’s routing (the x-loglens-route header sets it too)', example: 'ap-2f-a' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  routeKey?: string;

  @ApiPropertyOptional({
    description: `also return each row's feature attributions (\`explanations\`, at most ${EXPLAIN_MAX_ROWS} rows): they sum to outputValue − baseValue; docs/models.md`,
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  explain?: boolean;

  @ExplainTop()
  explainTop?: number;
}

/** Body of POST /api/v1/models/{version}/explain. */
export class ExplainBodyDto {
  @ApiProperty({
    description: 'rows as arrays in feature-schema order, or objects keyed by feature name',
    example: [[0, 0, 0, 0, 3, 3, 0, 0, 3, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0]],
    type: 'array',
    items: { oneOf: [{ type: 'array', items: { type: 'number' } }, { type: 'object', additionalProperties: { type: 'number' } }] },
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'rows must contain at least one row' })
  @ArrayMaxSize(EXPLAIN_MAX_ROWS, { message: `rows must contain at most ${EXPLAIN_MAX_ROWS} rows` })
  rows!: PredictRow[];

  @ApiPropertyOptional({ description: 'how long to wait for a worker (ms)', example: 5000 })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(120_000)
  timeoutMs?: number;

  @ExplainTop()
  explainTop?: number;
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
