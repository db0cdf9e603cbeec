import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgentKind, WindowResultDto } from '@loglens/contracts';

/** One analyzed window (the whole published result is kept in `result`; the columns are for queries). */
@Entity({ name: 'analysis_results' })
export class AnalysisResultEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  agent!: AgentKind;

  @Column({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ name: 'window_key', type: 'varchar', length: 256 })
  windowKey!: string;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd!: Date;

  @Column({ name: 'record_count', type: 'int' })
  recordCount!: number;

  @Column({ name: 'anomaly_score', type: 'double precision', nullable: true })
  anomalyScore!: number | null;

  @Column({ name: 'is_anomaly', type: 'boolean' })
  isAnomaly!: boolean;

  @Column({ name: 'model_version', type: 'varchar', length: 128, nullable: true })
  modelVersion!: string | null;

  @Column({ type: 'jsonb' })
  result!: WindowResultDto;

  @Column({ name: 'stored_at', type: 'timestamptz', default: () => 'now()' })
  storedAt!: Date;
}
