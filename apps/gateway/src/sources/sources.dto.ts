import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { JOB_STATES, MODEL_NAME_PATTERN, TRAIN_ALGORITHMS, type JobState } from '@loglens/contracts';

/** The JSON body of a train request (documented for OpenAPI; validated as the contract's TrainParams). */
export class TrainBodyDto {
  @ApiProperty({ example: ['myapp'], description: 'sources whose logs (logs.generic.<source> / logs.wifi.<site>) train the model' })
  sources!: string[];

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'message time in LOGS; default: the oldest kept' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-03T00:00:00Z', description: 'default: the newest message when the job starts' })
  to?: string;

  @ApiPropertyOptional({ enum: TRAIN_ALGORITHMS })
  algorithm?: string;

  @ApiPropertyOptional({ example: 300000, description: 'window length; chosen from the data when absent' })
  windowMs?: number;

  @ApiPropertyOptional({ example: 40, description: 'templates with a column of their own' })
  topK?: number;

  @ApiPropertyOptional({ example: true, description: 'deploy the new version once validated' })
  deploy?: boolean;

  @ApiPropertyOptional({ example: true, description: 'bind the sources to the model once deployed' })
  bind?: boolean;
}

/** The multipart form of a train request: a log file plus the same fields as text. */
export class TrainFormDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'NDJSON objects ({message, timestamp?, host?}) or plain log lines' })
  logs!: unknown;

  @ApiProperty({ example: 'myapp', description: 'comma-separated' })
  sources!: string;

  @ApiPropertyOptional() from?: string;
  @ApiPropertyOptional() to?: string;
  @ApiPropertyOptional({ enum: TRAIN_ALGORITHMS }) algorithm?: string;
  @ApiPropertyOptional() windowMs?: string;
  @ApiPropertyOptional() topK?: string;
  @ApiPropertyOptional({ example: 'true' }) deploy?: string;
  @ApiPropertyOptional({ example: 'true' }) bind?: string;
}

export class JobsQueryDto {
  @ApiPropertyOptional({ example: 'myapp-anomaly' })
  @IsOptional()
  @Matches(MODEL_NAME_PATTERN, { message: 'model must be a model name' })
  model?: string;

  @ApiPropertyOptional({ enum: JOB_STATES })
  @IsOptional()
  @IsIn(JOB_STATES as unknown as string[], { message: `state must be one of ${JOB_STATES.join(', ')}` })
  state?: JobState;

  @ApiPropertyOptional({ example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class BindBodyDto {
  @ApiProperty({ example: 'myapp-anomaly', description: 'the model whose serving version scores the source' })
  @IsString()
  @Matches(MODEL_NAME_PATTERN, { message: 'model must be a model name' })
  model!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class UnbindQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
