import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@loglens/nest-common';

export class TrainerEnv extends BaseServiceEnv {
  /** JetStream ack wait of the JOBS consumer: a job not reported on within this long goes to another trainer */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(5000)
  @Max(3_600_000)
  TRAINER_ACK_WAIT_MS: number = 60_000;

  /** most log lines one job reads */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(50_000_000)
  TRAINER_MAX_LINES: number = 2_000_000;
}
