import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { formatMs, formatNumber, formatPercent } from '../../shared/format';

/** libs/source-models' SourceModelSummary as a job result carries it (typed loosely there: read defensively). */
export interface TrainingSummary {
  sources: string[];
  algorithm: string | null;
  windowMs: number | null;
  lines: number | null;
  windows: number | null;
  templates: number | null;
  vocabulary: number | null;
  from: string | null;
  to: string | null;
  threshold: number | null;
  trainingAnomalyRate: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function summaryOf(raw: Record<string, unknown>): TrainingSummary {
  return {
    sources: Array.isArray(raw['sources'])
      ? raw['sources'].filter((s): s is string => typeof s === 'string')
      : [],
    algorithm: str(raw['algorithm']),
    windowMs: num(raw['windowMs']),
    lines: num(raw['lines']),
    windows: num(raw['windows']),
    templates: num(raw['templates']),
    vocabulary: num(raw['vocabulary']),
    from: str(raw['from']),
    to: str(raw['to']),
    threshold: num(raw['threshold']),
    trainingAnomalyRate: num(raw['trainingAnomalyRate']),
  };
}

const ALGORITHM_TEXT: Record<string, string> = {
  iforest: 'isolation forest with a range guard',
  pca: 'PCA reconstruction error',
};

const count = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));

/** What the training saw and decided: lines, windows, templates, window length, threshold, training anomaly rate. */
@Component({
  selector: 'll-training-summary',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    @let s = summary();
    <dl class="key-values" aria-label="Training summary">
      <dt>Sources</dt>
      <dd>{{ s.sources.join(', ') || '—' }}</dd>
      <dt>Stretch</dt>
      <dd>
        <time [attr.datetime]="s.from">{{ s.from ? (s.from | date: 'medium') : '?' }}</time> →
        <time [attr.datetime]="s.to">{{ s.to ? (s.to | date: 'medium') : '?' }}</time>
      </dd>
      <dt>Lines</dt>
      <dd class="num" data-fact="lines">{{ count(s.lines) }}</dd>
      <dt>Windows</dt>
      <dd class="num" data-fact="windows">{{ count(s.windows) }}</dd>
      <dt>Window length</dt>
      <dd data-fact="window">{{ windowText() }}</dd>
      <dt>Templates mined</dt>
      <dd class="num" data-fact="templates">{{ count(s.templates) }}</dd>
      <dt>Vocabulary</dt>
      <dd data-fact="vocabulary">
        {{ count(s.vocabulary) }} templates with a column of their own; the rest count as "other templates"
      </dd>
      <dt>Detector</dt>
      <dd>{{ algorithm() }}</dd>
      <dt>Threshold</dt>
      <dd class="num" data-fact="threshold">{{ s.threshold === null ? '—' : format(s.threshold) }}</dd>
      <dt>Training anomaly rate</dt>
      <dd data-fact="anomaly-rate">
        {{ percent(s.trainingAnomalyRate) }} of the training windows score above the threshold
      </dd>
    </dl>
  `,
})
export class TrainingSummaryComponent {
  readonly raw = input.required<Record<string, unknown>>();
  protected readonly summary = computed(() => summaryOf(this.raw()));
  protected readonly windowText = computed(() => {
    const ms = this.summary().windowMs;
    if (ms === null) return '—';
    return ms >= 60_000 ? `${formatNumber(ms / 60_000)} min` : formatMs(ms);
  });
  protected readonly algorithm = computed(() => {
    const a = this.summary().algorithm;
    return a === null ? '—' : (ALGORITHM_TEXT[a] ?? a);
  });
  protected readonly count = count;
  protected readonly format = formatNumber;
  protected readonly percent = formatPercent;
}
