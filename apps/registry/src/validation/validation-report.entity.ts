import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CheckOutcome, ValidationReportDto } from '@loglens/contracts';

/** Every validation run of a version is kept; the newest is the version's report. */
@Entity({ name: 'validation_reports' })
export class ValidationReportEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId!: string;

  @Column({ type: 'varchar', length: 8 })
  outcome!: CheckOutcome;

  @Column({ type: 'jsonb' })
  report!: ValidationReportDto;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
