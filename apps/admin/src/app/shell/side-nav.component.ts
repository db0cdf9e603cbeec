import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatListModule } from '@angular/material/list';
import { RouterLink, RouterLinkActive } from '@angular/router';
import { IconComponent } from '../shared/icon.component';
import { type NavGroup, badgeText } from './shell-nav';

/** The main nav: one list per group, the current page marked, the live anomalies' link counting the new ones. */
@Component({
  selector: 'll-side-nav',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, RouterLinkActive, MatListModule, IconComponent],
  template: `
    <nav aria-label="Main">
      @for (group of groups(); track group.label) {
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
              [attr.aria-label]="
                item.anomalyBadge && unseen() > 0 ? item.label + ', ' + unseen() + ' new' : null
              "
              (click)="navigated.emit()"
            >
              <ll-icon matListItemIcon [name]="item.icon" />
              <span matListItemTitle>{{ item.label }}</span>
              @if (item.anomalyBadge && unseen() > 0) {
                <span matListItemMeta class="badge" aria-hidden="true">{{ badge() }}</span>
              }
            </a>
          }
        </mat-nav-list>
      }
    </nav>
  `,
  styles: `
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
  `,
})
export class SideNavComponent {
  /** the groups and pages this key is offered */
  readonly groups = input.required<NavGroup[]>();
  /** live anomalies not seen yet */
  readonly unseen = input(0);
  /** a link was followed (a narrow layout closes the nav) */
  readonly navigated = output<void>();

  protected readonly badge = computed(() => badgeText(this.unseen()));
}
