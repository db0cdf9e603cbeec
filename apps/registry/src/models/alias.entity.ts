import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A named pointer (`production`, `staging`, `champion`…) at one version of a model. */
@Entity({ name: 'model_aliases' })
export class AliasEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  alias!: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId!: string;

  @Column({ name: 'updated_by', type: 'varchar', length: 128 })
  updatedBy!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
