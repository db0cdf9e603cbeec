import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { AnomalyFeedService } from './core/anomaly-feed.service';
import { ApiKeyStore } from './core/api-key.store';
import { isDeployedEvent } from './core/live-events';
import { LiveEventsService } from './core/live-events.service';
import { SessionService } from './core/session.service';
import { IconComponent } from './shared/icon.component';
import { SideNavComponent } from './shell/side-nav.component';
import { deployToast, liveLabel, liveText, menuLabel, roleText, visibleNav } from './shell/shell-nav';

/** Below this width the side nav overlays the page instead of taking a column from it. */
const WIDE_LAYOUT = '(min-width: 960px)';

@Component({
  selector: 'll-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterOutlet,
    RouterLink,
    MatToolbarModule,
    MatSidenavModule,
    MatButtonModule,
    IconComponent,
    SideNavComponent,
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
        <ll-side-nav [groups]="navGroups()" [unseen]="feed.unseen()" (navigated)="closeIfNarrow()" />
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
  protected readonly menuLabel = computed(() => menuLabel(this.feed.unseen()));
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  protected readonly navGroups = computed(() => visibleNav(this.session.canChange(), this.session.isAdmin()));
  protected readonly liveText = computed(() => liveText(this.live.status()));
  protected readonly liveLabel = computed(() => liveLabel(this.live.status()));
  protected readonly roleText = computed(() => roleText(this.session.roleState()));
  protected readonly roleLabel = computed(() => `API key: ${this.roleText()}. Open settings`);

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

  protected closeIfNarrow(): void {
    if (!this.wide()) void this.sidenav().close();
  }
}
