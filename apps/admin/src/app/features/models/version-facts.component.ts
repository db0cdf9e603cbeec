import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type { ModelSummaryDto, ModelVersionDto } from '@loglens/contracts';
import { SessionService } from '../../core/session.service';
import { formatBytes, formatNumber } from '../../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { ModelActions } from '../../shared/actions/model-actions.service';
import { VersionActionRunner } from './version-action-runner';

/** A version's facts (reference, what serves, aliases with their delete buttons, artifact) and its model's other versions. */
@Component({
  selector: 'll-version-facts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, MatTooltipModule, IconComponent],
  template: `
    @let v = version();
    <dl class="fact-grid">
      <div>
        <dt>Reference</dt>
        <dd>
          <code>{{ v.ref }}</code>
        </dd>
      </div>
      <div>
        <dt>Serving now</dt>
        <dd>
          @if (servingRef(); as s) {
            <a [routerLink]="['/models', s]"
              ><code>{{ s }}</code></a
            >
          } @else {
            <span class="muted">nothing</span>
          }
        </dd>
      </div>
      <div>
        <dt>Aliases on this version</dt>
        <dd>
          <ul class="chips" aria-label="Aliases on this version">
            @for (a of v.aliases; track a) {
              <li class="alias-chip">
                <code>{{ v.model }}&#64;{{ a }}</code>
                @if (session.canChange()) {
                  <button
                    type="button"
                    class="chip-remove"
                    [attr.aria-label]="'Delete alias ' + a"
                    [matTooltip]="'Delete alias ' + a"
                    [disabled]="runner.busy()"
                    (click)="runner.run(actions.deleteAlias(v.model, a, v.ref))"
                  >
                    <ll-icon name="close" />
                  </button>
                }
              </li>
            } @empty {
              <li class="muted">none</li>
            }
          </ul>
        </dd>
      </div>
      <div>
        <dt>Tags</dt>
        <dd>{{ v.tags.length ? v.tags.join(', ') : 'none' }}</dd>
      </div>
      <div>
        <dt>Threshold</dt>
        <dd>{{ v.threshold === null ? 'none (scores only)' : formatNumber(v.threshold) }}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>{{ v.createdAt | date: 'medium' }} by {{ v.createdBy }}</dd>
      </div>
      @if (v.servingSince) {
        <div>
          <dt>Serving since</dt>
          <dd>{{ v.servingSince | date: 'medium' }}</dd>
        </div>
      }
      @if (v.archivedAt) {
        <div>
          <dt>Archived</dt>
          <dd>{{ v.archivedAt | date: 'medium' }}</dd>
        </div>
      }
      <div>
        <dt>Size</dt>
        <dd>{{ formatBytes(v.sizeBytes) }}</dd>
      </div>
      <div>
        <dt>SHA-256</dt>
        <dd>
          <code [title]="v.sha256">{{ v.sha256.slice(0, 16) }}…</code>
        </dd>
      </div>
      <div>
        <dt>Scaler</dt>
        <dd>
          @if (v.scalerSha256) {
            <code [title]="v.scalerSha256">{{ v.scalerSha256.slice(0, 16) }}…</code>
          } @else {
            <span class="muted">none</span>
          }
        </dd>
      </div>
      <div>
        <dt>Producer</dt>
        <dd>{{ v.producer || 'unknown' }} (IR {{ v.irVersion }})</dd>
      </div>
      <div>
        <dt>Opsets</dt>
        <dd>
          @for (o of v.opsets; track o.domain) {
            <code>{{ o.domain || 'ai.onnx' }} {{ o.version }}</code
            >{{ $last ? '' : ', ' }}
          }
        </dd>
      </div>
    </dl>

    @if (otherVersions().length > 0) {
      <h2 class="section-title">Other versions</h2>
      <ul class="chips">
        @for (o of otherVersions(); track o.ref) {
          <li>
            <a class="status-chip status-{{ o.status }}" [routerLink]="['/models', o.ref]"
              >v{{ o.version }} · {{ o.status }}</a
            >
          </li>
        }
      </ul>
    }
  `,
  styles: `
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .alias-chip {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      padding: 0 2px 0 8px;
      border-radius: 12px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .chip-remove {
      display: inline-flex;
      border: 0;
      background: transparent;
      color: inherit;
      padding: 2px;
      border-radius: 50%;
      cursor: pointer;
    }
    .chip-remove ll-icon {
      width: 16px;
      height: 16px;
    }
    .chip-remove:hover {
      background: rgba(0, 0, 0, 0.08);
    }
  `,
})
export class VersionFactsComponent {
  protected readonly actions = inject(ModelActions);
  protected readonly session = inject(SessionService);
  protected readonly runner = inject(VersionActionRunner);

  readonly version = input.required<ModelVersionDto>();
  readonly model = input<ModelSummaryDto | null>(null);

  protected readonly formatBytes = formatBytes;
  protected readonly formatNumber = formatNumber;
  protected readonly servingRef = computed(() => this.model()?.servingVersion ?? null);
  protected readonly otherVersions = computed(() => {
    const v = this.version();
    return (this.model()?.versions ?? [])
      .filter((o) => o.ref !== v.ref)
      .sort((a, b) => b.version - a.version);
  });
}
