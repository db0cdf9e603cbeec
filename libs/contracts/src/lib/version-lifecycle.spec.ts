import { VERSION_STATUSES, type VersionStatus } from './model.dto';
import {
  VERSION_ACTIONS,
  actionState,
  allowedActions,
  refusal,
  refusalOf,
  statusAfterLoad,
  statusAfterValidation,
  unchanged,
  type VersionAction,
  type VersionFacts,
} from './version-lifecycle';

const v = (status: VersionStatus, archived = false, aliases: string[] = []): VersionFacts => ({ ref: 'm@2', status, archived, aliases });

/**
 * The whole table written out by hand, one row per status (not archived, no alias): `ok` or the exact reason the
 * registry answers. Changing a rule without changing this table (and docs/models.md, which shows the same) fails here.
 */
const NOT_VALIDATED = 'm@2 has not been validated yet (status registered)';
const FAILED = 'm@2 failed validation (status invalid)';
const EXPECTED: Record<VersionStatus, Record<VersionAction, string>> = {
  registered: {
    deploy: `${NOT_VALIDATED} and cannot be deployed`,
    'rollback-target': `${NOT_VALIDATED} and cannot be deployed`,
    'fallback-target': 'ok',
    load: 'm@2 has not been validated yet',
    unload: 'ok',
    validate: 'ok',
    archive: 'ok',
    'alias-target': 'ok',
    'serve-pinned': `${NOT_VALIDATED} and is not served`,
    'experiment-candidate': `${NOT_VALIDATED} and cannot be a candidate`,
    tag: 'ok',
  },
  validated: {
    deploy: 'ok',
    'rollback-target': 'ok',
    'fallback-target': 'ok',
    load: 'ok',
    unload: 'ok',
    validate: 'ok',
    archive: 'ok',
    'alias-target': 'ok',
    'serve-pinned': 'ok',
    'experiment-candidate': 'ok',
    tag: 'ok',
  },
  invalid: {
    deploy: `${FAILED} and cannot be deployed`,
    'rollback-target': `${FAILED} and cannot be deployed`,
    'fallback-target': 'ok',
    load: 'm@2 failed validation and cannot be loaded',
    unload: 'ok',
    validate: 'ok',
    archive: 'ok',
    'alias-target': 'm@2 failed validation: an alias cannot point at it',
    'serve-pinned': `${FAILED} and is not served`,
    'experiment-candidate': `${FAILED} and cannot be a candidate`,
    tag: 'ok',
  },
  loaded: {
    deploy: 'ok',
    'rollback-target': 'ok',
    'fallback-target': 'ok',
    load: 'ok',
    unload: 'ok',
    validate: 'ok',
    archive: 'ok',
    'alias-target': 'ok',
    'serve-pinned': 'ok',
    'experiment-candidate': 'ok',
    tag: 'ok',
  },
  serving: {
    deploy: 'ok',
    'rollback-target': 'ok',
    'fallback-target': 'ok',
    load: 'ok',
    unload: 'm@2 is serving: deploy or roll back to another version first',
    validate: 'ok',
    archive: 'm@2 is serving and cannot be archived',
    'alias-target': 'ok',
    'serve-pinned': 'ok',
    'experiment-candidate': 'm@2 is the control; a candidate must be another version',
    tag: 'ok',
  },
  retired: {
    deploy: 'ok',
    'rollback-target': 'ok',
    'fallback-target': 'ok',
    load: 'ok',
    unload: 'ok',
    validate: 'ok',
    archive: 'ok',
    'alias-target': 'ok',
    'serve-pinned': 'ok',
    'experiment-candidate': 'ok',
    tag: 'ok',
  },
};

/** An archived version is retired (archive sets it); what it may still do. */
const ARCHIVED: Record<VersionAction, string> = {
  deploy: 'm@2 is archived and cannot serve',
  'rollback-target': 'm@2 is archived and cannot serve',
  'fallback-target': 'm@2 is archived and cannot serve',
  load: 'm@2 is archived and cannot be loaded',
  unload: 'ok',
  validate: 'ok',
  archive: 'ok',
  'alias-target': 'm@2 is archived: an alias cannot point at it',
  'serve-pinned': 'm@2 is archived and is not served',
  'experiment-candidate': 'm@2 is archived and cannot serve',
  tag: 'ok',
};

describe('version lifecycle table', () => {
  it.each(VERSION_STATUSES.flatMap((s) => VERSION_ACTIONS.map((a) => [s, a] as const)))('%s × %s', (status, action) => {
    const facts = v(status);
    const expected = EXPECTED[status][action];
    expect(refusal(action, facts) ?? 'ok').toBe(expected);
    expect(allowedActions(facts).has(action)).toBe(expected === 'ok');
  });

  it.each(VERSION_ACTIONS)('archived (retired) × %s', (action) => {
    expect(refusal(action, v('retired', true)) ?? 'ok').toBe(ARCHIVED[action]);
  });

  it('refuses archiving a version an alias points at, naming the aliases, whatever its status but serving', () => {
    for (const status of VERSION_STATUSES) {
      const r = refusal('archive', v(status, false, ['production', 'staging']));
      expect(r).toBe(status === 'serving' ? 'm@2 is serving and cannot be archived' : 'm@2 is what alias(es) production, staging point at: move them first');
    }
    // aliases stop nothing else
    for (const a of VERSION_ACTIONS.filter((x) => x !== 'archive')) {
      expect(refusal(a, v('validated', false, ['production']))).toBeNull();
    }
  });

  it('answers CONFLICT for every refusal except a candidate that is the control (a bad request)', () => {
    for (const status of VERSION_STATUSES) {
      for (const archived of [false, true]) {
        for (const action of VERSION_ACTIONS) {
          const r = refusalOf(action, v(status, archived, ['x']));
          if (!r) continue;
          expect(r.code).toBe(action === 'experiment-candidate' && status === 'serving' ? 'VALIDATION_FAILED' : 'CONFLICT');
        }
      }
    }
  });

  it('moves the status on validation only for versions that neither serve, are warm nor retired', () => {
    expect(VERSION_STATUSES.map((s) => [s, statusAfterValidation(s, 'fail'), statusAfterValidation(s, 'warn')])).toEqual([
      ['registered', 'invalid', 'validated'],
      ['validated', 'invalid', 'validated'],
      ['invalid', 'invalid', 'validated'],
      ['loaded', 'loaded', 'loaded'],
      ['serving', 'serving', 'serving'],
      ['retired', 'retired', 'retired'],
    ]);
  });

  it('loads into loaded (serving stays serving) and unloads loaded back to validated', () => {
    expect(VERSION_STATUSES.map((s) => [s, statusAfterLoad(s, 'load'), statusAfterLoad(s, 'unload')])).toEqual([
      ['registered', 'loaded', 'registered'],
      ['validated', 'loaded', 'validated'],
      ['invalid', 'loaded', 'invalid'],
      ['loaded', 'loaded', 'validated'],
      ['serving', 'serving', 'serving'],
      ['retired', 'loaded', 'retired'],
    ]);
  });

  it('names the accepted actions that would change nothing, and the console state takes refusal first', () => {
    const noop = (status: VersionStatus, archived = false) =>
      VERSION_ACTIONS.map((a) => [a, unchanged(a, v(status, archived))] as const).filter(([, r]) => r !== null);
    expect(noop('serving')).toEqual([
      ['deploy', 'm@2 is serving already'],
      ['rollback-target', 'm@2 is serving already'],
      ['load', 'm@2 is serving: it is loaded already'],
    ]);
    expect(noop('loaded')).toEqual([['load', 'm@2 is loaded already']]);
    expect(noop('validated')).toEqual([['unload', 'm@2 is not loaded (status validated)']]);
    expect(noop('retired', true)).toEqual([
      ['unload', 'm@2 is not loaded (status retired)'],
      ['archive', 'm@2 is archived already'],
    ]);
    expect(actionState('unload', v('serving'))).toEqual({ enabled: false, reason: 'm@2 is serving: deploy or roll back to another version first' });
    expect(actionState('deploy', v('invalid'))).toEqual({ enabled: false, reason: 'm@2 failed validation (status invalid) and cannot be deployed' });
    expect(actionState('deploy', v('retired'))).toEqual({ enabled: true, reason: null });
  });
});
