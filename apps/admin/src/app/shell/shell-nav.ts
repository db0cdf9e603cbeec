import type { DeployedEventData } from '../core/live-events';
import type { LiveStatus } from '../core/live-events.service';
import type { RoleState } from '../core/session.service';
import type { IconName } from '../shared/icon.component';

/* The console shell's wording and nav, without Angular: which pages a key is offered and how the toolbar reads. */

export interface NavItem {
  path: string;
  label: string;
  icon: IconName;
  /** shown only to operator and admin keys (the pages that change things, and the dead letters) */
  forChangers?: boolean;
  /** shown only to admin keys (key management, audit log) */
  forAdmins?: boolean;
  /** shows the count of live anomalies not seen yet */
  anomalyBadge?: boolean;
}

export interface NavGroup {
  label: string;
  items: NavItem[];
}

/** The side nav, grouped by what an operator is doing. */
export const NAV: readonly NavGroup[] = [
  {
    label: 'Models',
    items: [
      { path: '/models', label: 'Models', icon: 'models' },
      { path: '/upload', label: 'Upload a version', icon: 'upload', forChangers: true },
      { path: '/train', label: 'Train a model', icon: 'train', forChangers: true },
      { path: '/history', label: 'Transfer history', icon: 'history' },
    ],
  },
  {
    label: 'Serving',
    items: [
      { path: '/predict', label: 'Predict', icon: 'predict' },
      { path: '/performance', label: 'Performance', icon: 'performance' },
      { path: '/experiments', label: 'Experiments', icon: 'performance' },
      { path: '/drift', label: 'Drift', icon: 'drift' },
    ],
  },
  {
    label: 'Logs',
    items: [
      { path: '/analyze', label: 'Analyze logs', icon: 'analyze' },
      { path: '/anomalies', label: 'Live anomalies', icon: 'anomaly', anomalyBadge: true },
      { path: '/results', label: 'Stored results', icon: 'results' },
      { path: '/dead-letters', label: 'Dead letters', icon: 'warn', forChangers: true },
    ],
  },
  {
    label: 'System',
    items: [
      { path: '/status', label: 'Health', icon: 'health' },
      { path: '/keys', label: 'API keys', icon: 'key', forAdmins: true },
      { path: '/audit', label: 'Audit log', icon: 'results', forAdmins: true },
      { path: '/settings', label: 'Settings', icon: 'settings' },
    ],
  },
];

/** The toast for a serving change made elsewhere (another operator, another tab, a worker's fallback). */
export function deployToast(e: DeployedEventData): string {
  const from = e.previousRef ?? 'nothing';
  switch (e.action) {
    case 'fallback':
      return `Fallback: ${from} failed in a worker, so ${e.model} serves ${e.serving.ref} again.`;
    case 'rollback':
      return `${e.model} rolled back: ${from} → ${e.serving.ref} (by ${e.actor}).`;
    case 'deploy':
    case 'promote':
      return `${e.model} now serves ${e.serving.ref} instead of ${from} (${e.action} by ${e.actor}).`;
  }
}

/** A viewer is not offered pages that only change things, nor anyone but an admin the admin pages. */
export function visibleNav(canChange: boolean, isAdmin: boolean, nav: readonly NavGroup[] = NAV): NavGroup[] {
  return nav.map((g) => ({
    ...g,
    items: g.items.filter((i) => (!i.forChangers || canChange) && (!i.forAdmins || isAdmin)),
  }));
}

/** The nav badge's count of live anomalies not seen yet. */
export function badgeText(unseen: number): string {
  return unseen > 99 ? '99+' : String(unseen);
}

/** The menu button's name on a narrow screen, counting the new live anomalies its dot stands for. */
export function menuLabel(unseen: number): string {
  return unseen > 0
    ? `Toggle navigation (${unseen} new live anomal${unseen === 1 ? 'y' : 'ies'})`
    : 'Toggle navigation';
}

export function liveText(status: LiveStatus): string {
  switch (status) {
    case 'live':
      return 'Live';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'off':
      return 'Offline';
  }
}

export function liveLabel(status: LiveStatus): string {
  return status === 'live'
    ? 'Live updates on: changes made elsewhere appear without a reload'
    : `Live updates: ${liveText(status)}`;
}

/** The toolbar's key button: the key's role, or why there is none. */
export function roleText(s: RoleState): string {
  switch (s.status) {
    case 'no-key':
      return 'No key';
    case 'loading':
      return 'Checking key…';
    case 'known':
      return s.role;
    case 'error':
      return 'Key problem';
  }
}
