import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Profile, ReferenceSample } from '@loglens/drift';

/** One agent instance's profile of one version over one time bucket (minute): the unit drift reports merge. */
@Entity({ name: 'drift_buckets' })
export class DriftBucketEntity {
  @PrimaryColumn({ name: 'version_id', type: 'uuid' })
  versionId!: string;

  @PrimaryColumn({ name: 'bucket_start', type: 'timestamptz' })
  bucketStart!: Date;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  producer!: string;

  @Column({ name: 'bucket_ms', type: 'int' })
  bucketMs!: number;

  @Column({ type: 'int' })
  windows!: number;

  @Column({ type: 'jsonb' })
  profile!: Profile;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  sources!: Record<string, { lines: number; unseen: number }>;

  /** the raw rows of a version without a reference (its reference window); such a bucket's profile has no features */
  @Column({ type: 'jsonb', nullable: true })
  sample!: ReferenceSample | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}

/** The last drift check of a version: whether it drifted and on what, so crossings are announced once. */
@Entity({ name: 'drift_states' })
export class DriftStateEntity {
  @PrimaryColumn({ name: 'version_id', type: 'uuid' })
  versionId!: string;

  @Column({ type: 'boolean' })
  drifted!: boolean;

  @Column({ type: 'jsonb' })
  signals!: string[];

  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt!: Date;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}
