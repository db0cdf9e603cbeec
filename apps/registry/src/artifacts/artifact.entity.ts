import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** ONNX bytes addressed by their sha256: the same file uploaded twice is stored once. */
@Entity({ name: 'artifacts' })
export class ArtifactEntity {
  @PrimaryColumn({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  sizeBytes!: number;

  /** never selected by default: the bytes leave the database chunk by chunk */
  @Column({ type: 'bytea', select: false })
  data!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
