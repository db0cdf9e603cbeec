import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@loglens/nest-common';

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
}
