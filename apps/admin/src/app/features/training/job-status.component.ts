import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { JobDto } from '@loglens/contracts';
import { formatBytes } from '../../shared/format';

/** What each stage of a train job is doing, in words (stages the trainer reports; unknown ones show as they are). */
const STAGE_TEXT: Record<string, string> = {
  queued: 'Waiting for a trainer',
  reading: 'Reading the logs',
  'mining templates': 'Mining the templates',
  windows: 'Cutting windows',
  training: 'Training',
  'isolation trees': 'Growing isolation trees',
  registering: 'Registering and validating the version',
  deploying: 'Deploying',
  binding: 'Binding the sources',
  done: 'Done',
};

export function stageText(job: Pick<JobDto, 'state' | 'progress'>): string {
  if (job.state === 'queued') return STAGE_TEXT['queued'];
  return STAGE_TEXT[job.progress.stage] ?? job.progress.stage;
}

/** 0..100 when the stage counts something, null while it cannot say how far it is. */
export function percentOf(job: Pick<JobDto, 'progress'>): number | null {
  const { done, total } = job.progress;
  return total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
}

/** One job's state: what it was asked, how far it is (live), and why it failed when it did. */
@Component({
  selector: 'll-job-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatProgressBarModule],
  template: `
    @let j = job();
    <div class="head">
      <h2 class="section-title" id="job-title">Job for {{ j.model }}</h2>
      <span
        class="status-chip job-state state-{{ j.state }}"
        [class.ok]="j.state === 'succeeded'"
        [class.bad]="j.state === 'failed'"
        >{{ j.state }}</span
      >
    </div>
    <p class="muted asked">
      {{ asked() }} · by {{ j.createdBy }} · {{ j.createdAt | date: 'medium' }} · <code>{{ j.id }}</code>
    </p>
    @if (j.state === 'queued' || j.state === 'running') {
      <div class="progress" role="status" aria-live="polite">
        <p>
          {{ stage() }}…
          @if (percent() !== null) {
            {{ j.progress.done.toLocaleString('en-US') }} of
            {{ j.progress.total.toLocaleString('en-US') }} ({{ percent() }} %)
          }
        </p>
        <mat-progress-bar
          [mode]="percent() === null ? 'indeterminate' : 'determinate'"
          [value]="percent() ?? 0"
          aria-label="Training progress"
        />
      </div>
    } @else if (j.state === 'failed') {
      <div class="error-box" role="alert">
        <strong>Training failed</strong>{{ j.error?.code ? ' (' + j.error?.code + ')' : '' }}:
        {{ j.error?.message ?? 'the trainer gave no reason.' }}
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .head {
      display: flex;
      align-items: center;
      gap: 12px;
    }
    .asked {
      margin-top: 0;
      overflow-wrap: anywhere;
    }
    .progress {
      max-width: 760px;
    }
  `,
})
export class JobStatusComponent {
  readonly job = input.required<JobDto>();
  protected readonly stage = computed(() => stageText(this.job()));
  protected readonly percent = computed(() => percentOf(this.job()));
  protected readonly asked = computed(() => {
    const p = this.job().params;
    const input = p.file
      ? `from ${p.file.name} (${p.file.lines.toLocaleString('en-US')} lines, ${formatBytes(p.file.bytes)})`
      : `from the LOGS stream${p.from || p.to ? `, ${p.from ?? 'oldest'} to ${p.to ?? 'newest'}` : ''}`;
    const then = [p.deploy ? 'deploy' : '', p.bind ? 'bind' : ''].filter(Boolean).join(' and ');
    return `Sources ${p.sources.join(', ')} ${input}${then ? `; then ${then}` : ''}`;
  });
}
