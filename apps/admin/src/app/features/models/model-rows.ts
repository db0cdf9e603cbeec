import type { ModelSummaryDto, ModelVersionSummaryDto } from '@loglens/contracts';

/** One model as the models table shows it. */
export interface ModelRow {
  name: string;
  task: string;
  description: string;
  owner: string;
  servingVersion: string | null;
  /** where a click on the model goes: the serving version, else the newest one */
  detailRef: string | null;
  aliases: Array<{ alias: string; ref: string }>;
  versions: ModelVersionSummaryDto[];
  archivedCount: number;
}

/** A model's row: versions newest first (archived ones only when asked), aliases by name. */
export function toRow(m: ModelSummaryDto, showArchived: boolean): ModelRow {
  const all = [...m.versions].sort((a, b) => b.version - a.version);
  const versions = showArchived ? all : all.filter((v) => !v.archivedAt);
  return {
    name: m.name,
    task: m.task,
    description: m.description,
    owner: m.owner,
    servingVersion: m.servingVersion,
    detailRef: m.servingVersion ?? all[0]?.ref ?? null,
    aliases: Object.entries(m.aliases ?? {})
      .map(([alias, ref]) => ({ alias, ref }))
      .sort((a, b) => a.alias.localeCompare(b.alias)),
    versions,
    archivedCount: all.length - versions.length,
  };
}

const VALIDATION_MARK: Record<'pass' | 'warn' | 'fail', string> = { pass: '✓', warn: '!', fail: '✗' };

/** The mark next to a version chip for its validation outcome; '' when it was not validated. */
export function validationMark(v: Pick<ModelVersionSummaryDto, 'validation'>): string {
  return v.validation ? VALIDATION_MARK[v.validation] : '';
}

/** `iris@2` → `2`. */
export function versionOfRef(ref: string): string {
  return ref.slice(ref.lastIndexOf('@') + 1);
}

/** A version chip's tooltip: who created it when, its validation, tags and whether it is archived. */
export function versionTooltip(v: ModelVersionSummaryDto): string {
  const parts = [`Created ${new Date(v.createdAt).toLocaleString()} by ${v.createdBy}`];
  if (v.validation) parts.push(`validation: ${v.validation}`);
  if (v.tags.length) parts.push(`tags: ${v.tags.join(', ')}`);
  if (v.archivedAt) parts.push('archived');
  return parts.join(' · ');
}

/** A version chip's accessible name. */
export function versionLabel(v: ModelVersionSummaryDto): string {
  return `Version ${v.version}, ${v.status}${v.validation ? `, validation ${v.validation}` : ''}${v.archivedAt ? ', archived' : ''}`;
}
