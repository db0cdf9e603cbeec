import type { DeployedEventData } from '../core/live-events';
import {
  NAV,
  badgeText,
  deployToast,
  liveLabel,
  liveText,
  menuLabel,
  roleText,
  visibleNav,
} from './shell-nav';

const paths = (groups: ReturnType<typeof visibleNav>) => groups.flatMap((g) => g.items.map((i) => i.path));

describe('visibleNav', () => {
  it('offers a viewer only the pages that read, an operator the changing ones, an admin everything', () => {
    const viewer = paths(visibleNav(false, false));
    expect(viewer).toContain('/models');
    expect(viewer).not.toContain('/upload');
    expect(viewer).not.toContain('/dead-letters');
    expect(viewer).not.toContain('/keys');
    const operator = paths(visibleNav(true, false));
    expect(operator).toContain('/upload');
    expect(operator).not.toContain('/audit');
    expect(paths(visibleNav(true, true))).toEqual(NAV.flatMap((g) => g.items.map((i) => i.path)));
    expect(visibleNav(false, false).map((g) => g.label)).toEqual(['Models', 'Serving', 'Logs', 'System']);
  });
});

describe('the toolbar’s wording', () => {
  it('counts the new anomalies, capped at 99+', () => {
    expect(badgeText(3)).toBe('3');
    expect(badgeText(100)).toBe('99+');
    expect(menuLabel(0)).toBe('Toggle navigation');
    expect(menuLabel(1)).toBe('Toggle navigation (1 new live anomaly)');
    expect(menuLabel(2)).toBe('Toggle navigation (2 new live anomalies)');
  });

  it('says whether live updates arrive', () => {
    expect(liveText('reconnecting')).toBe('Reconnecting…');
    expect(liveLabel('live')).toBe('Live updates on: changes made elsewhere appear without a reload');
    expect(liveLabel('off')).toBe('Live updates: Offline');
  });

  it('names the key’s role, or why it has none', () => {
    expect(roleText({ status: 'known', role: 'operator' })).toBe('operator');
    expect(roleText({ status: 'no-key' })).toBe('No key');
    expect(roleText({ status: 'loading' })).toBe('Checking key…');
    expect(roleText({ status: 'error', message: 'x' })).toBe('Key problem');
  });
});

describe('deployToast', () => {
  const base: Omit<DeployedEventData, 'action'> = {
    model: 'iris',
    previousRef: 'iris@1',
    serving: { ref: 'iris@2', version: 2 },
    actor: 'operator:key-…',
    at: '2026-12-05T10:00:00Z',
  };

  it('words a deploy, a rollback and a worker’s fallback', () => {
    expect(deployToast({ ...base, action: 'deploy' })).toBe(
      'iris now serves iris@2 instead of iris@1 (deploy by operator:key-…).',
    );
    expect(deployToast({ ...base, action: 'rollback' })).toBe(
      'iris rolled back: iris@1 → iris@2 (by operator:key-…).',
    );
    expect(deployToast({ ...base, action: 'fallback', previousRef: null })).toBe(
      'Fallback: nothing failed in a worker, so iris serves iris@2 again.',
    );
  });
});
