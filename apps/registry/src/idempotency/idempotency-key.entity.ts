import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One Idempotency-Key of a REST change: claimed (`pending`) before the change runs, `done` with the answer to replay
 * once it ran. The primary key (scope, key) is what makes one claim win across gateways and registry instances.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  /** the caller (an API key's identity): two callers never share a key */
  @PrimaryColumn({ type: 'varchar', length: 128 })
  scope!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  /** sha256 of method, route and body: the same key with another request is refused */
  @Column({ type: 'char', length: 64 })
  fingerprint!: string;

  /** e.g. `POST /model-management/rollback`, named when the key is reused */
  @Column({ type: 'varchar', length: 300 })
  request!: string;

  @Column({ type: 'varchar', length: 8 })
  state!: 'pending' | 'done';

  @Column({ type: 'int', nullable: true })
  status!: number | null;

  /** json, not jsonb: the answer is replayed byte for byte, keys in their order */
  @Column({ type: 'json', nullable: true })
  body!: Record<string, unknown> | null;

  /** a pending claim past this time (its gateway died mid-request) may be taken over */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
