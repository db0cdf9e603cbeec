import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import type { AnalyzeReply } from '@loglens/contracts';
import type { AnalyzeAgent } from '@loglens/client';
import { type LogInput, formatCount } from './log-input';
import { WindowTableComponent } from './window-table.component';
import { type WindowView, byTime, fromAnalyzeWindow } from './windows';

/** One finished analysis: the gateway's reply and what was sent. */
export interface AnalysisResult {
  reply: AnalyzeReply;
  input: LogInput;
  /** what was analyzed: "the pasted text" or the file name */
  what: string;
  agentAsked: AnalyzeAgent;
  source: string;
  ms: number;
}

/** One record in a window's drill-down. */
export interface RecordRow {
  index: number;
  line: number;
  text: string;
  template: string | null;
  templateId: string | null;
  error: string | null;
}

/** Records shown at first in a window's drill-down (a window of a flood can hold thousands). */
const RECORDS_SHOWN = 200;

/** The records of one window, in input order, with their line, template and error. */
export function recordRows(
  result: Pick<AnalysisResult, 'reply' | 'input'>,
  indexes: readonly number[],
): RecordRow[] {
  return indexes.map((index) => {
    const r = result.reply.records[index];
    return {
      index,
      line: result.input.lineNumbers[index] ?? index + 1,
      text: result.input.records[index] ?? '',
      template: r?.template ?? null,
      templateId: r?.templateId ?? null,
      error: r?.error ?? null,
    };
  });
}

/**
 * The results of one analysis: a summary line, its windows (anomalous first, or only those) with each window's
 * records and templates, and the records no window took.
 */
@Component({
  selector: 'll-analysis-result',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgTemplateOutlet, RouterLink, MatButtonModule, MatSlideToggleModule, WindowTableComponent],
  template: `
    @let r = result();
    <h2 class="section-title" id="results-title">Results</h2>
    <p class="summary" role="status">
      Agent <strong class="agent">{{ r.reply.agent }}</strong
      >{{ r.agentAsked === 'auto' ? ' (picked by content)' : '' }} · model
      @for (v of r.reply.modelVersions; track v; let last = $last) {
        <a [routerLink]="['/models', v]"
          ><code class="model-version">{{ v }}</code></a
        >{{ last ? '' : ', ' }}
      } @empty {
        <strong>none</strong>
      }
      · {{ count(r.input.records.length) }} records of {{ r.what }} in {{ count(windows().length) }} window{{
        windows().length === 1 ? '' : 's'
      }}
      ·
      <strong [class.anomaly-count]="anomalyCount() > 0">{{ count(anomalyCount()) }} anomalous</strong>
      @if (errorCount() > 0) {
        · {{ count(errorCount()) }} record{{ errorCount() === 1 ? '' : 's' }} with errors
      }
      <span class="muted"> · {{ seconds(r.ms) }}</span>
    </p>
    @if (r.reply.modelVersions.length === 0) {
      <div class="notice">
        No model version scored these windows: the {{ r.reply.agent }} agent's model has nothing serving.
        Deploy a version on the <a routerLink="/models">Models</a> page and analyze again.
      </div>
    }

    @if (windows().length === 0) {
      <div class="notice" role="status">
        No windows came out of these records{{
          errorCount() > 0 ? ': every record had an error (see below)' : ''
        }}.
      </div>
    } @else {
      <div class="table-tools">
        <mat-slide-toggle [checked]="anomaliesFirst()" (change)="anomaliesFirst.set($event.checked)"
          >Anomalous windows first</mat-slide-toggle
        >
        <mat-slide-toggle [checked]="onlyAnomalous()" (change)="onlyAnomalous.set($event.checked)"
          >Only anomalous windows</mat-slide-toggle
        >
        <span class="muted">Open a window to read its records.</span>
      </div>
      @if (shownWindows().length > 0) {
        <ll-window-table
          [windows]="shownWindows()"
          [anomaliesFirst]="anomaliesFirst()"
          label="Windows of this analysis"
          [detail]="recordsTpl"
        />
      } @else {
        <div class="notice" role="status">No window of this analysis is anomalous.</div>
      }
    }

    @if (unwindowed().length > 0) {
      <details class="unwindowed">
        <summary>
          {{ count(unwindowed().length) }} record{{ unwindowed().length === 1 ? ' is' : 's are' }} in no
          window
        </summary>
        <ng-container
          [ngTemplateOutlet]="recordTable"
          [ngTemplateOutletContext]="{ rows: unwindowed().slice(0, 500), label: 'Records in no window' }"
        />
        @if (unwindowed().length > 500) {
          <p class="muted">The first 500 are shown.</p>
        }
      </details>
    }

    <ng-template #recordsTpl let-w>
      @let all = recordsOf(w.id);
      @let showAll = expandedRecords().has(w.id);
      <ng-container
        [ngTemplateOutlet]="recordTable"
        [ngTemplateOutletContext]="{
          rows: showAll ? all : all.slice(0, recordsShown),
          label: 'Records of window ' + w.key,
        }"
      />
      @if (all.length > recordsShown && !showAll) {
        <div class="more-records">
          <span class="muted">Showing {{ recordsShown }} of {{ count(all.length) }} records.</span>
          <button mat-button type="button" (click)="showAllRecords(w.id)">Show all</button>
        </div>
      }
    </ng-template>

    <ng-template #recordTable let-rows="rows" let-label="label">
      <div class="records-scroll">
        <table class="data-table records" [attr.aria-label]="label">
          <thead>
            <tr>
              <th scope="col" class="num">Line</th>
              <th scope="col">Record</th>
              <th scope="col">Template</th>
            </tr>
          </thead>
          <tbody>
            @for (rec of rows; track rec.index) {
              <tr class="record-row" [class.has-error]="!!rec.error">
                <td class="num">{{ rec.line }}</td>
                <td>
                  <code class="line">{{ rec.text }}</code>
                  @if (rec.error) {
                    <div class="record-error">Error: {{ rec.error }}</div>
                  }
                </td>
                <td>
                  @if (rec.template) {
                    <code class="template">{{ rec.template }}</code>
                  } @else {
                    <span class="muted">—</span>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    </ng-template>
  `,
  styles: `
    .table-tools,
    .more-records {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
    }
    .table-tools {
      margin-bottom: 8px;
    }
    .anomaly-count {
      color: var(--mat-sys-error);
    }
    .records-scroll {
      max-height: 420px;
      overflow: auto;
      background: var(--mat-sys-surface);
      border-radius: 8px;
    }
    .records td,
    .records th {
      padding: 4px 8px;
      vertical-align: top;
    }
    .records code {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .record-row.has-error {
      background: var(--mat-sys-error-container);
    }
    .record-error {
      color: var(--mat-sys-on-error-container);
      font-weight: 600;
    }
    .unwindowed {
      margin-top: 16px;
    }
    .unwindowed summary {
      cursor: pointer;
      font: var(--mat-sys-title-small);
      padding: 8px 0;
    }
  `,
})
export class AnalysisResultComponent {
  readonly result = input.required<AnalysisResult>();

  protected readonly recordsShown = RECORDS_SHOWN;
  protected readonly count = formatCount;

  protected readonly anomaliesFirst = signal(true);
  protected readonly onlyAnomalous = signal(false);
  protected readonly expandedRecords = signal<ReadonlySet<string>>(new Set());

  protected readonly windows = computed<WindowView[]>(() => {
    const r = this.result();
    return r.reply.windows.map((w) => fromAnalyzeWindow(w, r.reply.agent, r.source || null)).sort(byTime);
  });
  protected readonly shownWindows = computed(() =>
    this.onlyAnomalous() ? this.windows().filter((w) => w.isAnomaly) : this.windows(),
  );
  private readonly indexesByWindow = computed(() => {
    const map = new Map<string, number[]>();
    for (const w of this.result().reply.windows) map.set(w.id, w.recordIndexes);
    return map;
  });
  protected readonly anomalyCount = computed(() => this.windows().filter((w) => w.isAnomaly).length);
  protected readonly errorCount = computed(() => this.result().reply.records.filter((r) => r.error).length);
  /** records no window took: mostly ones with an error */
  protected readonly unwindowed = computed<RecordRow[]>(() => {
    const r = this.result();
    const indexes = r.reply.records.filter((rec) => rec.windowId === null).map((rec) => rec.index);
    return recordRows(r, indexes);
  });

  protected recordsOf(windowId: string): RecordRow[] {
    return recordRows(this.result(), this.indexesByWindow().get(windowId) ?? []);
  }

  protected showAllRecords(windowId: string): void {
    this.expandedRecords.update((s) => new Set(s).add(windowId));
  }

  protected seconds(ms: number): string {
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
  }
}
