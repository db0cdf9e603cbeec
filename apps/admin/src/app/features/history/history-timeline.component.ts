import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { HistoryEntryDto } from '@loglens/contracts';
import { formatAgo } from '../../shared/format';
import { ACTION_TEXT, subjectOf } from './history-entry';

/** History entries as a timeline, newest first: the action, what changed from → to, who, when and why. */
@Component({
  selector: 'll-history-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink],
  template: `
    <ol class="timeline" aria-label="History entries, newest first">
      @for (e of entries(); track e.id) {
        <li class="entry action-{{ e.action }}">
          <span class="dot" aria-hidden="true"></span>
          <div class="head">
            <!-- &ngsp; keeps a real space between the parts, for screen readers and copied text -->
            <span class="action-chip">{{ actionText[e.action] }}</span
            >&ngsp; <span class="subject">{{ subjectOf(e) }}</span
            >&ngsp;
            <span class="change">
              @if (e.from) {
                <a [routerLink]="['/models', e.from]"
                  ><code>{{ e.from }}</code></a
                >
              } @else {
                <span class="muted">nothing</span>
              }
              <span class="arrow"> → </span>
              @if (e.to) {
                <a [routerLink]="['/models', e.to]"
                  ><code>{{ e.to }}</code></a
                >
              } @else {
                <span class="muted">removed</span>
              }
            </span>
          </div>
          <div class="meta muted">
            by <span class="actor">{{ e.actor }}</span> ·
            <time [attr.datetime]="e.at" [title]="e.at | date: 'full'"
              >{{ ago(e.at) }} ({{ e.at | date: 'medium' }})</time
            >
            · #{{ e.seq }}
          </div>
          @if (e.reason) {
            <p class="why">“{{ e.reason }}”</p>
          } @else {
            <p class="why muted">no reason given</p>
          }
        </li>
      }
    </ol>
  `,
  styles: `
    :host {
      display: block;
    }
    .timeline {
      list-style: none;
      margin: 0;
      padding: 0 0 0 20px;
      border-left: 2px solid var(--mat-sys-outline-variant);
      max-width: 900px;
    }
    .entry {
      position: relative;
      padding: 4px 0 16px 12px;
    }
    .dot {
      position: absolute;
      left: -28px;
      top: 8px;
      width: 12px;
      height: 12px;
      border-radius: 50%;
      background: var(--mat-sys-primary);
      border: 2px solid var(--mat-sys-surface);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 10px;
    }
    .subject {
      font-weight: 600;
    }
    .change {
      display: inline-flex;
      align-items: baseline;
      white-space: pre;
    }
    .action-chip {
      padding: 1px 8px;
      border-radius: 10px;
      font: var(--mat-sys-label-medium);
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .action-rollback .action-chip,
    .action-rollback .dot {
      background: #ffe3b3;
      color: #5c3b00;
    }
    .action-fallback .action-chip,
    .action-fallback .dot {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .action-alias-set .action-chip,
    .action-alias-delete .action-chip {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .meta {
      margin-top: 2px;
      font-size: 0.9em;
    }
    .why {
      margin: 4px 0 0;
    }
  `,
})
export class HistoryTimelineComponent {
  readonly entries = input.required<readonly HistoryEntryDto[]>();

  protected readonly actionText = ACTION_TEXT;
  protected readonly subjectOf = subjectOf;

  protected ago(at: string): string {
    return formatAgo(at);
  }
}
