import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { HistoryAction } from '@loglens/contracts';

/** One change of a model's serving version or of one of its aliases: the transfer history. Only ever inserted. */
@Entity({ name: 'history' })
export class HistoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  /** 1, 2, 3… per model; unique with the model */
  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: 'serving' | 'alias' | 'binding' | 'experiment' | 'drift';

  @Column({ type: 'varchar', length: 32, nullable: true })
  alias!: string | null;

  /** the source of a `binding` entry */
  @Column({ type: 'varchar', length: 64, nullable: true })
  source!: string | null;

  @Column({ name: 'from_version_id', type: 'uuid', nullable: true })
  fromVersionId!: string | null;

  @Column({ name: 'to_version_id', type: 'uuid', nullable: true })
  toVersionId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  action!: HistoryAction;

  @Column({ type: 'varchar', length: 128 })
  actor!: string;

  @Column({ type: 'text', default: '' })
  reason!: string;

  /** set when the entry is written, under the model lock (now() would be the transaction's start, out of seq order) */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
