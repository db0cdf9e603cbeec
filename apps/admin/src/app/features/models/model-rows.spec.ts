import type { ModelSummaryDto, ModelVersionSummaryDto } from '@loglens/contracts';
import { toRow, validationMark, versionLabel, versionOfRef, versionTooltip } from './model-rows';

function version(n: number, extra: Partial<ModelVersionSummaryDto> = {}): ModelVersionSummaryDto {
  return {
    ref: `iris@${n}`,
    version: n,
    status: 'loaded',
    sha256: 'a'.repeat(64),
    sizeBytes: 2048,
    createdAt: '2026-11-01T10:00:00Z',
    createdBy: 'trainer',
    aliases: [],
    tags: [],
    archivedAt: null,
    validation: 'pass',
    ...extra,
  };
}

function model(extra: Partial<ModelSummaryDto> = {}): ModelSummaryDto {
  return {
    name: 'iris',
    task: 'classification',
    description: '',
    createdAt: '2026-11-01T10:00:00Z',
    owner: 'operator:oper…',
    servingVersion: null,
    aliases: { staging: 'iris@1', production: 'iris@2' },
    versions: [version(1, { archivedAt: '2026-11-02T10:00:00Z' }), version(3), version(2)],
    ...extra,
  };
}

describe('toRow', () => {
  it('sorts the versions newest first, hides archived ones unless asked and counts them', () => {
    expect(toRow(model(), false)).toMatchObject({ archivedCount: 1 });
    expect(toRow(model(), false).versions.map((v) => v.version)).toEqual([3, 2]);
    expect(toRow(model(), true).versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(toRow(model(), true).archivedCount).toBe(0);
  });

  it('sorts the aliases by name', () => {
    expect(toRow(model(), false).aliases).toEqual([
      { alias: 'production', ref: 'iris@2' },
      { alias: 'staging', ref: 'iris@1' },
    ]);
  });

  it('opens the serving version, else the newest, else nothing', () => {
    expect(toRow(model({ servingVersion: 'iris@2' }), false).detailRef).toBe('iris@2');
    expect(toRow(model(), false).detailRef).toBe('iris@3');
    expect(toRow(model({ versions: [] }), false).detailRef).toBeNull();
  });
});

describe('version chips', () => {
  it('marks the validation outcome', () => {
    expect(validationMark({ validation: 'pass' })).toBe('✓');
    expect(validationMark({ validation: 'warn' })).toBe('!');
    expect(validationMark({ validation: 'fail' })).toBe('✗');
    expect(validationMark({ validation: null })).toBe('');
  });

  it('reads the version number off a ref', () => {
    expect(versionOfRef('iris@12')).toBe('12');
  });

  it('names and describes a version', () => {
    const v = version(2, { status: 'serving', tags: ['ab'], archivedAt: '2026-11-02T10:00:00Z' });
    expect(versionLabel(v)).toBe('Version 2, serving, validation pass, archived');
    expect(versionLabel(version(1, { validation: null }))).toBe('Version 1, loaded');
    expect(versionTooltip(v)).toMatch(/^Created .+ by trainer · validation: pass · tags: ab · archived$/);
  });
});
