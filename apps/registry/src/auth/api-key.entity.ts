import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ApiKeyRole } from '@loglens/contracts';

/** An API key of the gateway: only its SHA-256 is kept (the key itself is shown once, when it is made). */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: ApiKeyRole;

  /** SHA-256 of the key, hex; unique */
  @Column({ type: 'char', length: 64 })
  hash!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 128 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** coarse (the gateways report about once a minute) */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'varchar', length: 128, nullable: true })
  revokedBy!: string | null;
}
