import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
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

  /** rows coalesced into one onnxruntime run at most (a model's metadata.batching.maxBatchSize overrides it) */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65536)
  BATCH_MAX_SIZE: number = 256;

  /** how long a request may wait for others to join its batch; 0 = batch whatever queued while the last run ran */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  BATCH_MAX_QUEUE_DELAY_MS: number = 0;

  /** requests waiting per version before new ones are refused with OVERLOADED */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  BATCH_MAX_QUEUE: number = 2048;

  /** requests a newly deployed version serves before its error rate is judged */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  FALLBACK_WINDOW: number = 50;

  /** share of failed requests in that window above which the previous version serves again */
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  FALLBACK_MAX_ERROR_RATE: number = 0.5;

  /**
   * drift profile bucket length in ms of the rows a worker scores on the direct predict path (not agents' requests,
   * which the agents profile); 0 turns it off (docs/monitoring.md)
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  WORKER_DRIFT_BUCKET_MS: number = 60_000;
}
