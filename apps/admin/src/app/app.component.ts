import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatListModule } from '@angular/material/list';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { ApiKeyStore } from './core/api-key.store';
import { SessionService } from './core/session.service';
import { IconComponent, type IconName } from './shared/icon.component';

interface NavItem {
  path: string;
  label: string;
  icon: IconName;
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
          aria-label="Toggle navigation"
          [attr.aria-expanded]="nav.opened"
          aria-controls="main-nav"
          (click)="nav.toggle()"
        >
          <ll-icon name="menu" />
        </button>
      }
      <a class="brand" routerLink="/models">LogLens <span class="brand-sub">admin</span></a>
      <span class="spacer"></span>
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
          <mat-nav-list>
            @for (item of navItems; track item.path) {
              <a
                mat-list-item
                [routerLink]="item.path"
                routerLinkActive
                #rla="routerLinkActive"
                [activated]="rla.isActive"
                [attr.aria-current]="rla.isActive ? 'page' : null"
                (click)="closeIfNarrow()"
              >
                <ll-icon matListItemIcon [name]="item.icon" />
                <span matListItemTitle>{{ item.label }}</span>
              </a>
            }
          </mat-nav-list>
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
    .sidenav {
      width: 200px;
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

  protected readonly navItems: NavItem[] = [
    { path: '/models', label: 'Models', icon: 'models' },
    { path: '/predict', label: 'Predict', icon: 'predict' },
    { path: '/health', label: 'Health', icon: 'health' },
    { path: '/settings', label: 'Settings', icon: 'settings' },
  ];

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
