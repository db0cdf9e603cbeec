import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@loglens/nest-common';

export class WorkerEnv extends BaseServiceEnv {
  /** onnxruntime intra-op threads per session; 1 suits many small models on few cores */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  @Type(() => Number)
  INFERENCE_THREADS: number = 1;

  /** how many non-serving (pinned) versions a worker keeps warm */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(64)
  @Type(() => Number)
  PINNED_CACHE_SIZE: number = 4;
}
