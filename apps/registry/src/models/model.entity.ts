import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A named model (e.g. `hdfs-session-logreg`); its versions carry the artifacts. */
@Entity({ name: 'models' })
export class ModelEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 64 })
  task!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 128 })
  owner!: string;

  /** the version answering predictions; switched in one UPDATE, so a deploy is atomic */
  @Column({ name: 'serving_version_id', type: 'uuid', nullable: true })
  servingVersionId!: string | null;

  @Column({ name: 'serving_since', type: 'timestamptz', nullable: true })
  servingSince!: Date | null;

  /** last history sequence number; bumped under the model row lock with every history entry */
  @Column({ name: 'history_seq', type: 'int', default: 0 })
  historySeq!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
