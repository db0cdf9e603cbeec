import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@loglens/nest-common';

/** the validated WorkerEnv, as a provider */
export const WORKER_ENV = Symbol('WORKER_ENV');

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

  /**
   * `serving` (the default) answers predict, infer and validation; `shadow` makes this worker part of the shadow pool:
   * it takes a copy of every predict request from NATS (its own queue group), answers none, scores the copies that
   * running shadow experiments ask for (and the control, for the agreement), and runs at a low CPU priority
   * (WORKER_NICE), so shadow scoring takes what the serving workers leave (docs/experiments.md)
   */
  @IsOptional()
  @IsIn(['serving', 'shadow'])
  WORKER_POOL: 'serving' | 'shadow' = 'serving';

  /**
   * who scores a serving worker's shadow copies: `auto` (the default) leaves them to the shadow pool while one answers
   * its probe (asked every 5 s) and scores them itself otherwise; `pool` always leaves them to the pool; `local`
   * always scores them in this process
   */
  @IsOptional()
  @IsIn(['auto', 'pool', 'local'])
  SHADOW_SCORING: 'auto' | 'pool' | 'local' = 'auto';

  /**
   * in the shadow pool: how far behind the mirrored traffic it may fall (the round trip of a PING to NATS, or how late
   * its check ran) before it stops mirroring, so that nats-server never stalls the callers for it (MirrorGuard)
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  WORKER_SHADOW_MAX_LAG_MS: number = 250;

  /** in the shadow pool: how long it stops mirroring at least, once it has fallen behind */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  WORKER_SHADOW_PAUSE_MS: number = 10_000;

  /** the process's nice value (-20..19); unset: 19 in the shadow pool, unchanged otherwise */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(-20)
  @Max(19)
  WORKER_NICE?: number;
}
