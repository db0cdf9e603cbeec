import { ChangeDetectionStrategy, Component, input } from '@angular/core';

export type IconName =
  | 'menu'
  | 'models'
  | 'predict'
  | 'health'
  | 'settings'
  | 'refresh'
  | 'key'
  | 'upload'
  | 'history'
  | 'performance'
  | 'drift'
  | 'pass'
  | 'warn'
  | 'fail'
  | 'close'
  | 'analyze'
  | 'anomaly'
  | 'results'
  | 'train';

/**
 * A handful of inline SVG icons. The console runs offline, so the Material Icons ligature font (a CDN download)
 * is not an option; icons are decorative and every control also has a text label.
 */
@Component({
  selector: 'll-icon',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      @switch (name()) {
        @case ('menu') {
          <path d="M3 6h18M3 12h18M3 18h18" />
        }
        @case ('models') {
          <path d="M12 3 3 7.5 12 12l9-4.5L12 3Z" />
          <path d="m3 12 9 4.5 9-4.5M3 16.5 12 21l9-4.5" />
        }
        @case ('predict') {
          <path d="M4 19h16M6 15l4-5 3 3 5-7" />
        }
        @case ('health') {
          <path d="M2 12h4l3-7 5 14 3-7h5" />
        }
        @case ('settings') {
          <path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1" />
          <circle cx="15" cy="6" r="2" />
          <circle cx="9" cy="12" r="2" />
          <circle cx="17" cy="18" r="2" />
        }
        @case ('refresh') {
          <path d="M20 12a8 8 0 1 1-2.3-5.7M20 4v5h-5" />
        }
        @case ('key') {
          <circle cx="8" cy="15" r="4" />
          <path d="m11 12 9-9M17 6l2 2M15 8l2 2" />
        }
        @case ('upload') {
          <path d="M12 16V4M7 9l5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3" />
        }
        @case ('history') {
          <path d="M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5M12 7v5l3 3" />
        }
        @case ('performance') {
          <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" />
        }
        @case ('drift') {
          <path d="M3 17c3 0 3-8 6-8s3 8 6 8 3-4 6-4M3 21h18" />
        }
        @case ('pass') {
          <path d="m5 12 5 5 9-10" />
        }
        @case ('warn') {
          <path d="M12 3 2 20h20L12 3ZM12 10v4M12 17v.5" />
        }
        @case ('fail') {
          <circle cx="12" cy="12" r="9" />
          <path d="m9 9 6 6M15 9l-6 6" />
        }
        @case ('close') {
          <path d="M6 6l12 12M18 6 6 18" />
        }
        @case ('analyze') {
          <path d="M4 5h12M4 9h8M4 13h5M4 17h4" />
          <circle cx="15" cy="15" r="4" />
          <path d="m18 18 3 3" />
        }
        @case ('anomaly') {
          <path d="M6 16v-5a6 6 0 0 1 12 0v5l2 2H4l2-2ZM10 21h4" />
        }
        @case ('results') {
          <rect x="3" y="4" width="18" height="16" rx="2" />
          <path d="M3 9h18M3 14h18M9 9v11" />
        }
        @case ('train') {
          <!-- a learning curve rising over its axes -->
          <path d="M4 4v16h16" />
          <path d="M7 16c2-6 4-8 6-8s3 2 6-1" />
        }
      }
    </svg>
  `,
  styles: `
    :host {
      display: inline-flex;
      width: 24px;
      height: 24px;
      flex: none;
    }
    svg {
      width: 100%;
      height: 100%;
      fill: none;
      stroke: currentColor;
      stroke-width: 2;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
  `,
})
export class IconComponent {
  readonly name = input.required<IconName>();
}
