import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatListModule } from '@angular/material/list';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { AnomalyFeedService } from './core/anomaly-feed.service';
import { ApiKeyStore } from './core/api-key.store';
import { type DeployedEventData, isDeployedEvent } from './core/live-events';
import { LiveEventsService } from './core/live-events.service';
import { SessionService } from './core/session.service';
import { IconComponent, type IconName } from './shared/icon.component';

interface NavItem {
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

interface NavGroup {
  label: string;
  items: NavItem[];
}

/** The side nav, grouped by what an operator is doing. */
const NAV: NavGroup[] = [
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

/** Below this width the side nav overlays the page instead of taking a column from it. */
const WIDE_LAYOUT = '(min-width: 960px)';

@Component({
  selector: 'll-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbarModule,
    MatSidenavModule,
    MatListModule,
    MatButtonModule,
    IconComponent,
  ],
  template: `
    <a class="skip-link" href="#main">Skip to content</a>
    <mat-toolbar class="toolbar">
      @if (!wide()) {
        <button
          mat-icon-button
          type="button"
          class="menu-button"
          [attr.aria-label]="menuLabel()"
          [attr.aria-expanded]="nav.opened"
          aria-controls="main-nav"
          (click)="nav.toggle()"
        >
          <ll-icon name="menu" />
          @if (feed.unseen() > 0) {
            <span class="menu-dot" aria-hidden="true"></span>
          }
        </button>
      }
      <a class="brand" routerLink="/models">LogLens <span class="brand-sub">admin</span></a>
      <span class="spacer"></span>
      @if (keys.key()) {
        <span
          class="live live-{{ live.status() }}"
          role="status"
          [attr.aria-label]="liveLabel()"
          [title]="liveLabel()"
        >
          <span class="live-dot" aria-hidden="true"></span>
          <span class="live-text">{{ liveText() }}</span>
        </span>
      }
      <a mat-button routerLink="/settings" class="role" [attr.aria-label]="roleLabel()">
        <ll-icon name="key" />
        <span>{{ roleText() }}</span>
      </a>
    </mat-toolbar>

    <mat-sidenav-container class="container">
      <mat-sidenav
        #nav
        id="main-nav"
        [mode]="wide() ? 'side' : 'over'"
        [opened]="wide()"
        [fixedInViewport]="false"
        class="sidenav"
      >
        <nav aria-label="Main">
          @for (group of navGroups(); track group.label) {
            <mat-nav-list [attr.aria-labelledby]="'nav-' + group.label">
              <h2 mat-subheader class="nav-group" [id]="'nav-' + group.label">{{ group.label }}</h2>
              @for (item of group.items; track item.path) {
                <a
                  mat-list-item
                  [routerLink]="item.path"
                  routerLinkActive
                  #rla="routerLinkActive"
                  [activated]="rla.isActive"
                  [attr.aria-current]="rla.isActive ? 'page' : null"
                  [attr.aria-label]="item.anomalyBadge && feed.unseen() > 0 ? item.label + ', ' + feed.unseen() + ' new' : null"
                  (click)="closeIfNarrow()"
                >
                  <ll-icon matListItemIcon [name]="item.icon" />
                  <span matListItemTitle>{{ item.label }}</span>
                  @if (item.anomalyBadge && feed.unseen() > 0) {
                    <span matListItemMeta class="badge" aria-hidden="true">{{ badgeText() }}</span>
                  }
                </a>
              }
            </mat-nav-list>
          }
        </nav>
      </mat-sidenav>
      <mat-sidenav-content>
        <main id="main" tabindex="-1">
          @if (!keys.key()) {
            <div class="banner" role="note">
              No API key is set, so only Health works.
              <a routerLink="/settings">Set a key in Settings</a>.
            </div>
          }
          <router-outlet />
        </main>
      </mat-sidenav-content>
    </mat-sidenav-container>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      height: 100vh;
    }
    .toolbar {
      flex: none;
      position: relative;
      z-index: 2;
      gap: 8px;
      background: var(--mat-sys-primary);
      color: var(--mat-sys-on-primary);
      --mat-icon-button-icon-color: var(--mat-sys-on-primary);
      --mat-button-text-label-text-color: var(--mat-sys-on-primary);
    }
    .brand {
      color: inherit;
      text-decoration: none;
      font: var(--mat-sys-title-large);
    }
    .brand-sub {
      opacity: 0.8;
      font-weight: 400;
    }
    .spacer {
      flex: 1 1 auto;
    }
    .role span {
      margin-left: 6px;
    }
    .role ll-icon {
      vertical-align: middle;
    }
    .container {
      flex: 1 1 auto;
      min-height: 0;
    }
    .live {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font: var(--mat-sys-label-large);
    }
    .live-dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: #f5c542;
    }
    .live-live .live-dot {
      background: #7ee787;
    }
    .live-off .live-dot {
      background: #bbb;
    }
    .nav-group {
      margin: 0;
      padding: 0 16px;
      font: var(--mat-sys-title-small);
    }
    .badge {
      align-self: center;
      min-width: 20px;
      padding: 0 6px;
      border-radius: 10px;
      box-sizing: border-box;
      text-align: center;
      font: var(--mat-sys-label-medium);
      line-height: 20px;
      background: var(--mat-sys-error);
      color: var(--mat-sys-on-error);
    }
    .menu-button {
      position: relative;
    }
    .menu-dot {
      position: absolute;
      top: 8px;
      right: 8px;
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: #ff8a80;
    }
    .sidenav {
      width: 220px;
      border-right: 1px solid var(--mat-sys-outline-variant);
    }
    main:focus {
      outline: none;
    }
    .banner {
      margin: 16px 24px 0;
      padding: 12px 16px;
      border-radius: 8px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .skip-link {
      position: absolute;
      left: -9999px;
      z-index: 10;
    }
    .skip-link:focus {
      left: 8px;
      top: 8px;
      padding: 8px;
      background: var(--mat-sys-surface);
    }
  `,
})
export class AppComponent {
  protected readonly keys = inject(ApiKeyStore);
  private readonly session = inject(SessionService);
  protected readonly sidenav = viewChild.required<MatSidenav>('nav');

  protected readonly wide = toSignal(
    inject(BreakpointObserver)
      .observe(WIDE_LAYOUT)
      .pipe(map((r) => r.matches)),
    { initialValue: true },
  );

  protected readonly live = inject(LiveEventsService);
  /** created here, at start, so anomalies are collected (and counted for the badge) on every page */
  protected readonly feed = inject(AnomalyFeedService);
  protected readonly badgeText = computed(() => (this.feed.unseen() > 99 ? '99+' : String(this.feed.unseen())));
  protected readonly menuLabel = computed(() => {
    const n = this.feed.unseen();
    return n > 0 ? `Toggle navigation (${n} new live anomal${n === 1 ? 'y' : 'ies'})` : 'Toggle navigation';
  });
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  /** a viewer is not offered pages that only change things */
  protected readonly navGroups = computed(() => {
    const canChange = this.session.canChange();
    const isAdmin = this.session.isAdmin();
    return NAV.map((g) => ({ ...g, items: g.items.filter((i) => (!i.forChangers || canChange) && (!i.forAdmins || isAdmin)) }));
  });

  protected readonly liveText = computed(() => {
    switch (this.live.status()) {
      case 'live':
        return 'Live';
      case 'connecting':
        return 'Connecting…';
      case 'reconnecting':
        return 'Reconnecting…';
      case 'off':
        return 'Offline';
    }
  });
  protected readonly liveLabel = computed(() =>
    this.live.status() === 'live'
      ? 'Live updates on: changes made elsewhere appear without a reload'
      : `Live updates: ${this.liveText()}`,
  );

  constructor() {
    this.live.events
      .pipe(
        filter(isDeployedEvent),
        filter((e) => !this.live.isOwnChange(e.data.model)),
        takeUntilDestroyed(),
      )
      .subscribe((e) => {
        this.snackBar
          .open(deployToast(e.data), 'History', { duration: 10_000 })
          .onAction()
          .subscribe(() => void this.router.navigate(['/history'], { queryParams: { model: e.data.model } }));
      });
  }

  protected readonly roleText = computed(() => {
    const s = this.session.roleState();
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
  });

  protected closeIfNarrow(): void {
    if (!this.wide()) void this.sidenav().close();
  }

  protected readonly roleLabel = computed(() => `API key: ${this.roleText()}. Open settings`);
}
