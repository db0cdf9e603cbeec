import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';
import type { Subscription } from 'rxjs';
import type { AnalyzeAgent } from '@loglens/client';
import { AnalysisData } from '../../core/data/analysis.data';
import { formatBytes } from '../../shared/format';
import { DropZoneComponent } from '../../shared/drop-zone.component';
import { type FileState, type InputMode, analyzeErrorText, inputToSend, sourceError } from './analyze-input';
import { AnalyzeOptionsComponent } from './analyze-options.component';
import { type AnalysisResult, AnalysisResultComponent } from './analysis-result.component';
import { LogFileStateComponent } from './log-file-state.component';
import { MAX_ANALYZE_BYTES, MAX_ANALYZE_RECORDS, formatCount, readLogFile } from './log-input';

export { analyzeErrorText };

@Component({
  selector: 'll-analyze-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // a file dropped anywhere on the page is taken as the log file, instead of the browser navigating away to it
  host: { '(dragover)': 'onPageDragOver($event)', '(drop)': 'onPageDrop($event)' },
  imports: [
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    DropZoneComponent,
    LogFileStateComponent,
    AnalyzeOptionsComponent,
    AnalysisResultComponent,
  ],
  template: `
    <section class="page" aria-labelledby="analyze-title">
      <header class="page-header"><h1 id="analyze-title">Analyze logs</h1></header>
      <p class="muted intro">
        Paste log lines or drop a log file: an agent parses them, groups them into windows and scores each
        window with its model. Nothing is stored; the streaming agents' results are under
        <a routerLink="/results">Stored results</a>.
      </p>

      <form class="form" aria-label="Logs to analyze" (submit)="$event.preventDefault(); submit()">
        <mat-button-toggle-group
          aria-label="Where the logs come from"
          [value]="mode()"
          (change)="setMode($event.value)"
          hideSingleSelectionIndicator
        >
          <mat-button-toggle value="paste">Paste text</mat-button-toggle>
          <mat-button-toggle value="file">Log file</mat-button-toggle>
        </mat-button-toggle-group>

        @if (mode() === 'paste') {
          <mat-form-field class="full">
            <mat-label>Log lines</mat-label>
            <textarea
              matInput
              class="mono"
              rows="10"
              spellcheck="false"
              wrap="off"
              [value]="text()"
              (input)="onText($event)"
              (keydown.control.enter)="submit()"
              (keydown.meta.enter)="submit()"
              placeholder="Jun  3 03:00:01 ap-2f-a hostapd: wlan0: STA 02:50:… IEEE 802.11: deauthenticated"
            ></textarea>
            <mat-hint
              >One record per line; blank lines are skipped. At most {{ maxRecords }} lines and
              {{ maxBytes }}. Ctrl+Enter analyzes.</mat-hint
            >
          </mat-form-field>
        } @else {
          <ll-drop-zone
            label="Log file"
            [hint]="
              'Drop a text log here: one record per line, at most ' +
              maxRecords +
              ' lines and ' +
              maxBytes +
              '.'
            "
            [required]="true"
            [file]="file()"
            (fileChange)="onFile($event)"
          />
          <ll-log-file-state [state]="fileState()" />
        }

        <ll-analyze-options [(agent)]="agent" [(source)]="source" />

        @if (inputError()) {
          <div class="error-box" role="alert">{{ inputError() }}</div>
        }

        <div class="actions">
          <button mat-flat-button type="submit" [disabled]="running()">
            {{ running() ? 'Analyzing…' : 'Analyze' }}
          </button>
          @if (running()) {
            <mat-spinner diameter="24" aria-hidden="true" />
            <span role="status">Analyzing {{ count(sending()) }} records…</span>
            <button mat-button type="button" (click)="cancel()">Cancel</button>
          }
        </div>
      </form>

      <div aria-live="polite">
        @if (requestError()) {
          <div class="error-box" role="alert">{{ requestError() }}</div>
        }
      </div>

      @if (result(); as r) {
        <ll-analysis-result [result]="r" />
      }
    </section>
  `,
  styles: `
    .intro {
      margin-top: -8px;
      max-width: 80ch;
    }
    .form {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 12px;
    }
    .full,
    ll-drop-zone {
      width: 100%;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
    }
  `,
})
export class AnalyzePageComponent {
  private readonly api = inject(AnalysisData);
  private pending?: Subscription;
  private fileToken = 0;

  protected readonly maxRecords = formatCount(MAX_ANALYZE_RECORDS);
  protected readonly maxBytes = formatBytes(MAX_ANALYZE_BYTES);
  protected readonly count = formatCount;

  protected readonly mode = signal<InputMode>('paste');
  protected readonly text = signal('');
  protected readonly file = signal<File | null>(null);
  protected readonly fileState = signal<FileState>({ status: 'none' });
  protected readonly agent = signal<AnalyzeAgent>('auto');
  protected readonly source = signal('');

  protected readonly running = signal(false);
  protected readonly sending = signal(0);
  protected readonly inputError = signal<string | null>(null);
  protected readonly requestError = signal<string | null>(null);
  protected readonly result = signal<AnalysisResult | null>(null);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.pending?.unsubscribe());
  }

  protected setMode(mode: InputMode): void {
    this.mode.set(mode);
    this.inputError.set(null);
  }

  protected onText(event: Event): void {
    this.text.set((event.target as HTMLTextAreaElement).value);
    this.inputError.set(null);
  }

  /** Reads the dropped or chosen file right away, so its size and line count are known before anything is sent. */
  protected onFile(file: File | null): void {
    this.file.set(file);
    this.inputError.set(null);
    const token = ++this.fileToken;
    if (!file) {
      this.fileState.set({ status: 'none' });
      return;
    }
    this.fileState.set({ status: 'reading', name: file.name });
    void readLogFile(file).then((parsed) => {
      if (token !== this.fileToken) return;
      this.fileState.set(
        parsed.ok
          ? { status: 'ready', name: file.name, input: parsed.input }
          : { status: 'error', message: parsed.error },
      );
    });
  }

  protected onPageDragOver(event: DragEvent): void {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  }

  protected onPageDrop(event: DragEvent): void {
    // the drop zone handled it already
    if (event.defaultPrevented) return;
    const file = event.dataTransfer?.files?.[0];
    if (!file) return;
    event.preventDefault();
    this.setMode('file');
    this.onFile(file);
  }

  protected submit(): void {
    if (this.running()) return;
    const source = this.source();
    const badSource = sourceError(source);
    if (badSource) {
      this.inputError.set(badSource);
      return;
    }
    const current = inputToSend(this.mode(), this.text(), this.fileState());
    if ('error' in current) {
      this.inputError.set(current.error);
      return;
    }
    this.inputError.set(null);
    this.requestError.set(null);
    this.result.set(null);
    this.running.set(true);
    this.sending.set(current.input.records.length);
    const agentAsked = this.agent();
    const started = Date.now();
    this.pending?.unsubscribe();
    this.pending = this.api
      .analyze(current.input.records, { agent: agentAsked, ...(source ? { source } : {}) })
      .subscribe({
        next: (reply) => {
          this.running.set(false);
          this.result.set({
            reply,
            input: current.input,
            what: current.what,
            agentAsked,
            source,
            ms: Date.now() - started,
          });
        },
        error: (err: unknown) => {
          this.running.set(false);
          this.requestError.set(analyzeErrorText(err));
        },
      });
  }

  protected cancel(): void {
    this.pending?.unsubscribe();
    this.running.set(false);
    this.requestError.set('Cancelled: nothing was analyzed.');
  }
}
