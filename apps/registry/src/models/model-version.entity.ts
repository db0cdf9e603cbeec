import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { FeatureSchemaDto, ModelSignatureDto, VersionStatus } from '@loglens/contracts';

/** One immutable artifact of a model, numbered 1, 2, 3… per model. */
@Entity({ name: 'model_versions' })
export class ModelVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: VersionStatus;

  @Column({ name: 'artifact_sha256', type: 'char', length: 64 })
  artifactSha256!: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sizeBytes!: number;

  @Column({ name: 'ir_version', type: 'int' })
  irVersion!: number;

  @Column({ type: 'jsonb' })
  opsets!: Array<{ domain: string; version: number }>;

  @Column({ type: 'varchar', length: 128, default: '' })
  producer!: string;

  @Column({ type: 'jsonb' })
  signature!: ModelSignatureDto;

  @Column({ name: 'feature_schema', type: 'jsonb', nullable: true })
  featureSchema!: FeatureSchemaDto | null;

  @Column({ name: 'input_name', type: 'varchar', length: 256 })
  inputName!: string;

  @Column({ name: 'score_output', type: 'varchar', length: 256 })
  scoreOutput!: string;

  @Column({ type: 'double precision', nullable: true })
  threshold!: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata!: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  tags!: string[];

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;

  @Column({ name: 'scaler_sha256', type: 'char', length: 64, nullable: true })
  scalerSha256!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
