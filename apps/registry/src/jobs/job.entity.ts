import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { JobErrorDto, JobKind, JobProgressDto, JobResultDto, JobState, TrainInputFile, TrainParams } from '@loglens/contracts';

/** A train job: queued by the gateway, run by a trainer, its progress and outcome kept here. */
@Entity({ name: 'jobs' })
export class JobEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: JobKind;

  /** the model name the job registers a version of (the model may not exist before the job's first version) */
  @Column({ type: 'varchar', length: 64 })
  model!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: JobState;

  @Column({ type: 'jsonb' })
  progress!: JobProgressDto;

  @Column({ type: 'jsonb' })
  params!: TrainParams;

  /** an uploaded log file (its object in the payloads bucket) */
  @Column({ type: 'jsonb', nullable: true })
  file!: TrainInputFile | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: JobResultDto | null;

  @Column({ type: 'jsonb', nullable: true })
  error!: JobErrorDto | null;

  /** the trainer instance that last claimed the job */
  @Column({ type: 'varchar', length: 128, nullable: true })
  worker!: string | null;

  /** how many times a trainer claimed it (more than one: a trainer died and another took the job back) */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
