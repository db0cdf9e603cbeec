import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeployAction } from '@loglens/contracts';

/** One change of a model's serving version: the transfer history. Rows are only ever inserted. */
@Entity({ name: 'deployments' })
export class DeploymentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  @Column({ name: 'from_version_id', type: 'uuid', nullable: true })
  fromVersionId!: string | null;

  @Column({ name: 'to_version_id', type: 'uuid' })
  toVersionId!: string;

  @Column({ type: 'varchar', length: 16 })
  action!: DeployAction;

  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  @Column({ type: 'text', default: '' })
  reason!: string;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at!: Date;
}
