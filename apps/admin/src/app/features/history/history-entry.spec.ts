import type { HistoryEntryDto } from '@loglens/contracts';
import { ACTION_TEXT, emptyHistoryText, entriesOfKind, modelChoices, subjectOf } from './history-entry';

const base = {
  id: '1',
  seq: 1,
  model: 'web',
  alias: null,
  from: null,
  to: null,
  actor: 'x',
  reason: '',
  at: '',
};

describe('subjectOf', () => {
  it('names what changed: the serving version, an alias, or which model scores a source', () => {
    expect(subjectOf({ ...base, kind: 'serving', action: 'deploy' })).toBe('web serves');
    expect(subjectOf({ ...base, kind: 'alias', alias: 'prod', action: 'alias-set' })).toBe('web@prod');
    expect(subjectOf({ ...base, kind: 'binding', source: 'checkout', action: 'bind' })).toBe(
      'source checkout scored by web',
    );
  });

  it('names experiments and drift references', () => {
    expect(subjectOf({ ...base, kind: 'experiment', action: 'exp-start' })).toBe('web experiment');
    expect(subjectOf({ ...base, kind: 'drift', to: 'web@3', action: 'drift-reference' })).toBe(
      'web@3 drift reference',
    );
  });
});

describe('ACTION_TEXT', () => {
  it('words every action', () => {
    expect(ACTION_TEXT['alias-set']).toBe('alias moved');
    expect(ACTION_TEXT['exp-rollback']).toBe('canary rolled back');
  });
});

describe('entriesOfKind', () => {
  const entries: HistoryEntryDto[] = [
    { ...base, id: 'a', kind: 'serving', action: 'deploy' },
    { ...base, id: 'b', kind: 'alias', alias: 'prod', action: 'alias-set' },
  ];

  it('keeps every entry for all, else the ones of that kind in order', () => {
    expect(entriesOfKind(entries, 'all')).toBe(entries);
    expect(entriesOfKind(entries, 'alias').map((e) => e.id)).toEqual(['b']);
    expect(entriesOfKind(entries, 'binding')).toEqual([]);
  });
});

describe('modelChoices', () => {
  it('puts a filtered model the registry does not list first', () => {
    expect(modelChoices(['a', 'b'], '')).toEqual(['a', 'b']);
    expect(modelChoices(['a', 'b'], 'b')).toEqual(['a', 'b']);
    expect(modelChoices(['a', 'b'], 'gone')).toEqual(['gone', 'a', 'b']);
  });
});

describe('emptyHistoryText', () => {
  it('names the model when one is filtered on', () => {
    expect(emptyHistoryText('iris')).toBe('No changes recorded for iris with these filters.');
    expect(emptyHistoryText('')).toContain('No deploys, rollbacks');
  });
});
