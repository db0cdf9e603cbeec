import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ExperimentDto, ExperimentKind, ExperimentState, ExperimentStepDto } from '@loglens/contracts';
import type { ArmCounts } from '@loglens/experiments';

/** One arm as stored: the version row and its weight (percent). */
export interface StoredArm {
  versionId: string;
  version: number;
  weight: number;
}

/** An A/B test, canary or shadow experiment of one model. At most one per model is active (running or paused). */
@Entity({ name: 'experiments' })
export class ExperimentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: ExperimentKind;

  @Column({ name: 'control_version_id', type: 'uuid' })
  controlVersionId!: string;

  @Column({ name: 'control_version', type: 'int' })
  controlVersion!: number;

  @Column({ type: 'jsonb' })
  candidates!: StoredArm[];

  @Column({ type: 'jsonb', nullable: true })
  stickiness!: ExperimentDto['stickiness'];

  @Column({ type: 'jsonb', nullable: true })
  canary!: ExperimentDto['canary'];

  @Column({ type: 'jsonb', nullable: true })
  shadow!: ExperimentDto['shadow'];

  @Column({ type: 'jsonb' })
  criteria!: ExperimentDto['criteria'];

  @Column({ type: 'varchar', length: 16 })
  state!: ExperimentState;

  @Column({ name: 'failed_checks', type: 'int', default: 0 })
  failedChecks!: number;

  /** every decision and operator action, oldest first */
  @Column({ type: 'jsonb' })
  steps!: ExperimentStepDto[];

  /** per-arm counts over the whole experiment (the report), and over the current check interval (the canary) */
  @Column({ type: 'jsonb' })
  totals!: ArmCounts[];

  @Column({ type: 'jsonb' })
  interval!: ArmCounts[];

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** when the last canary check ran (the next one is due intervalSec later) */
  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}
