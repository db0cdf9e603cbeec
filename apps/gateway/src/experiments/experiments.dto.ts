import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EXPERIMENT_KINDS, EXPERIMENT_STATES, MODEL_NAME_PATTERN, STICKINESS_KEYS, type ExperimentState } from '@loglens/contracts';

class CandidateDoc {
  @ApiProperty({ example: '2', description: 'version number or alias of the model' }) version!: string;
  @ApiProperty({ example: 10, description: 'percent of the traffic (0 for a shadow candidate)' }) weight!: number;
}

class CanaryDoc {
  @ApiProperty({ example: 40 }) stepWeight!: number;
  @ApiProperty({ example: 50, description: 'a check passed at this weight promotes the candidate' }) maxWeight!: number;
  @ApiProperty({ example: 60 }) intervalSec!: number;
  @ApiProperty({ example: 2, description: 'failed checks that roll the candidate back' }) failureThreshold!: number;
}

class CriteriaDoc {
  @ApiProperty({ example: 0.01 }) maxErrorRate!: number;
  @ApiProperty({ example: 500 }) maxP99Ms!: number;
  @ApiPropertyOptional({ example: 0.05 }) maxAnomalyRateDelta?: number;
  @ApiPropertyOptional({ example: 0.9 }) minAgreement?: number;
  @ApiProperty({ example: 200, description: 'requests the candidate serves in an interval before it counts as a check' }) minSamples!: number;
}

/** The body of POST /model-management/experiments (documented for OpenAPI; validated as the contract's CreateExperimentRequest). */
export class CreateExperimentBodyDto {
  @ApiProperty({ example: 'wifi-anomaly' }) model!: string;
  @ApiProperty({ enum: EXPERIMENT_KINDS }) kind!: string;
  @ApiPropertyOptional({ example: '1', description: 'must be the serving version (the default)' }) control?: string;
  @ApiProperty({ type: [CandidateDoc] }) candidates!: CandidateDoc[];
  @ApiPropertyOptional({ example: { key: 'source' }, description: `sticky key: ${STICKINESS_KEYS.join(', ')}` }) stickiness?: { key: string };
  @ApiPropertyOptional({ type: CanaryDoc }) canary?: CanaryDoc;
  @ApiPropertyOptional({ example: { percent: 100 } }) shadow?: { percent: number };
  @ApiProperty({ type: CriteriaDoc }) criteria!: CriteriaDoc;
}

export class ExperimentsQueryDto {
  @ApiPropertyOptional({ example: 'wifi-anomaly' })
  @IsOptional()
  @Matches(MODEL_NAME_PATTERN, { message: 'model must be a model name' })
  model?: string;

  @ApiPropertyOptional({ enum: EXPERIMENT_STATES })
  @IsOptional()
  @IsIn(EXPERIMENT_STATES as unknown as string[], { message: `state must be one of ${EXPERIMENT_STATES.join(', ')}` })
  state?: ExperimentState;
}

export class ExperimentActionBodyDto {
  @ApiPropertyOptional({ example: 'p99 regression on site B' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ example: '3', description: 'promote: the candidate to serve, when an A/B has several' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  version?: string;
}
