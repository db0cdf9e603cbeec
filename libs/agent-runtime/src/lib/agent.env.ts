import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { BaseServiceEnv } from '@loglens/nest-common';
import type { ExplainWindows } from './window-scorer';

/** Variables both agents read. */
export class AgentEnv extends BaseServiceEnv {
  /** model scoring this agent's windows; the agent follows its serving version */
  @IsOptional()
  @IsString()
  AGENT_MODEL?: string;

  /** `false` runs only the analyze API (no JetStream consumption) */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'AGENT_CONSUME must be true or false' })
  AGENT_CONSUME: string = 'true';

  /** un-acked records at most: back-pressure on the stream */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  AGENT_MAX_IN_FLIGHT: number = 50_000;

  /** close open windows after this long without new records */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  AGENT_IDLE_FLUSH_MS: number = 3000;

  /** JetStream ack wait: a crashed instance's records come back after this long */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  AGENT_ACK_WAIT_MS: number = 30_000;

  /** sources with a pipeline in memory at most; the least recently active is saved to the KV bucket and dropped */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AGENT_MAX_SOURCES: number = 1000;

  /**
   * Which windows the agent has the workers explain (exact attributions: docs/models.md "Explanations"): `anomalies`,
   * the flagged ones — why a window was flagged, at a fraction of the cost; `all`; or `none`.
   */
  @IsOptional()
  @IsIn(['anomalies', 'all', 'none'], { message: 'AGENT_EXPLAIN must be anomalies, all or none' })
  AGENT_EXPLAIN: ExplainWindows = 'anomalies';

  /**
   * Instances of this agent kind that split the LOGS partitions (LOGLENS_LOG_PARTITIONS ≥ this): instance i consumes
   * the partitions k ≡ i (mod AGENT_INSTANCES). 1: every instance shares the kind's one durable (as before).
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  AGENT_INSTANCES: number = 1;

  /** this instance's number, 0 … AGENT_INSTANCES - 1 (a StatefulSet pod's ordinal) */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1023)
  AGENT_INSTANCE_INDEX: number = 0;

  /** drift profile bucket length in ms, 1,000 … 3,600,000 (docs/monitoring.md); 0 turns the agents' drift profiling off */
  @IsOptional()
  @Type(() => Number)
  @ValidateIf((o: AgentEnv) => o.AGENT_DRIFT_BUCKET_MS !== 0)
  @IsInt({ message: 'AGENT_DRIFT_BUCKET_MS must be 0 (off) or an integer from 1000 to 3600000' })
  @Min(1000, { message: 'AGENT_DRIFT_BUCKET_MS must be 0 (off) or an integer from 1000 to 3600000' })
  @Max(3_600_000, { message: 'AGENT_DRIFT_BUCKET_MS must be 0 (off) or an integer from 1000 to 3600000' })
  AGENT_DRIFT_BUCKET_MS: number = 60_000;
}
