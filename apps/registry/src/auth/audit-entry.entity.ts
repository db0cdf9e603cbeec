import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ApiKeyRole } from '@loglens/contracts';

/** One state change made through a gateway: who, what, when, from where, and how it ended. Only ever inserted. */
@Entity({ name: 'audit_log' })
export class AuditEntryEntity {
  /** insertion order: breaks ties of `at` in the paging cursor */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'actor_id', type: 'varchar', length: 64 })
  actorId!: string;

  @Column({ name: 'actor_name', type: 'varchar', length: 64 })
  actorName!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: ApiKeyRole;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 8 })
  method!: string;

  @Column({ type: 'varchar', length: 256 })
  route!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  target!: string | null;

  @Column({ name: 'client_ip', type: 'varchar', length: 64 })
  clientIp!: string;

  @Column({ type: 'int' })
  status!: number;

  @Column({ name: 'error_code', type: 'varchar', length: 32, nullable: true })
  errorCode!: string | null;
}
