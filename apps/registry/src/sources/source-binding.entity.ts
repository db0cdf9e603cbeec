import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgentKind } from '@loglens/contracts';

/** Which model scores a source's windows; a source has at most one binding. */
@Entity({ name: 'source_bindings' })
export class SourceBindingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ name: 'model_id', type: 'uuid' })
  modelId!: string;

  @Column({ type: 'varchar', length: 8 })
  agent!: AgentKind;

  @Column({ name: 'bound_by', type: 'varchar', length: 128 })
  boundBy!: string;

  @Column({ name: 'bound_at', type: 'timestamptz' })
  boundAt!: Date;
}
