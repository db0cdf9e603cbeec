import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import type { DeadLetterDto, ListDeadLettersRequest } from '@loglens/contracts';
import { formatBytes } from '../../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { DeadLettersData } from './dead-letters.data';

const PAGE = 100;

/** Where a dead letter came from: `loglens-LOGS #42 · loglens.logs.generic.web`. */
export function originOf(d: DeadLetterDto): string {
  const where = d.stream ? `${d.stream}${d.streamSeq !== null ? ` #${d.streamSeq}` : ''}` : 'unknown stream';
  return d.subject ? `${where} · ${d.subject}` : where;
}

/**
 * Dead letters (operator and admin keys): the messages a consumer gave up on — a malformed result, a log record that
 * failed every delivery — newest first, with why, where they came from and the start of their payload.
 */
@Component({
  selector: 'll-dead-letters-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatSelectModule, IconComponent, LoadStateComponent],
  template: `
    <section class="page" aria-labelledby="dead-letters-title">
      <header class="page-header">
        <h1 id="dead-letters-title">Dead letters</h1>
        <button mat-stroked-button type="button" (click)="letters.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
      </header>
      <p class="muted intro">
        Messages a consumer gave up on instead of retrying them for ever: a window result the registry could not store,
        a log record an agent failed to analyse on every delivery. Each is kept with the reason for 30 days (by default);
        nothing else is held back by it.
      </p>
      <form class="filters" aria-label="Filter the dead letters" (submit)="$event.preventDefault()">
        <mat-form-field>
          <mat-label>Consumer</mat-label>
          <mat-select [value]="consumer()" (selectionChange)="consumer.set($event.value)">
            <mat-option value="">All consumers</mat-option>
            @for (c of consumers(); track c) {
              <mat-option [value]="c">{{ c }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      </form>
      <ll-load-state
        [state]="letters.state()"
        [empty]="items().length === 0"
        loadingText="Loading the dead letters…"
        failedText="Could not load the dead letters."
        [emptyText]="emptyText()"
        (retry)="letters.reload()"
      />
      @if (items().length > 0) {
        <table class="letters" aria-label="Dead letters, newest first">
          <thead>
            <tr><th>Set aside</th><th>Consumer</th><th>Reason</th><th>From</th><th>Payload</th></tr>
          </thead>
          <tbody>
            @for (d of items(); track d.seq) {
              <tr>
                <td><time [attr.datetime]="d.at" [title]="d.at | date: 'full'">{{ d.at | date: 'medium' }}</time></td>
                <td>
                  <span class="consumer">{{ d.consumer ?? 'unknown' }}</span>
                  @if (d.deliveries !== undefined) {
                    <div class="muted">after {{ d.deliveries }} deliver{{ d.deliveries === 1 ? 'y' : 'ies' }}</div>
                  }
                </td>
                <td class="reason">{{ d.reason }}</td>
                <td><code>{{ origin(d) }}</code></td>
                <td class="payload">
                  <code class="preview">{{ d.preview }}{{ d.truncated ? '…' : '' }}</code>
                  <div class="muted">{{ bytes(d.size) }}{{ d.truncated ? ', shown in part' : '' }}</div>
                </td>
              </tr>
            }
          </tbody>
        </table>
      }
      <!-- also with nothing listed: a consumer filter reads a bounded number of messages a page -->
      @if (next() && letters.state().status === 'ready') {
        <button mat-stroked-button type="button" class="more" (click)="more()">Older dead letters</button>
      }
    </section>
  `,
  styles: `
    .intro { margin-top: -8px; max-width: 900px; }
    .filters { display: flex; flex-wrap: wrap; align-items: center; gap: 0 16px; margin-bottom: 8px; }
    .filters mat-form-field { width: 260px; }
    .letters { border-collapse: collapse; width: 100%; table-layout: fixed; }
    .letters th, .letters td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--mat-sys-outline-variant); vertical-align: top; overflow-wrap: anywhere; }
    .letters th:nth-child(1) { width: 150px; }
    .letters th:nth-child(2) { width: 150px; }
    .consumer { font-weight: 600; }
    .reason { color: var(--mat-sys-error); }
    .preview { display: block; white-space: pre-wrap; max-height: 7.5em; overflow: hidden; font-size: 12px; }
    .more { margin-top: 12px; }
  `,
})
export class DeadLettersPageComponent {
  private readonly api = inject(DeadLettersData);

  protected readonly consumer = signal('');
  /** older pages appended by "Older dead letters"; cleared when the filter changes */
  private readonly older = signal<DeadLetterDto[]>([]);
  private readonly olderNext = signal<number | null | undefined>(undefined);

  protected readonly letters = createLoader(
    (q: ListDeadLettersRequest) => {
      this.older.set([]);
      this.olderNext.set(undefined);
      return this.api.list(q);
    },
    () => ({ consumer: this.consumer() || undefined, limit: PAGE }),
  );
  protected readonly items = computed(() => [...(this.letters.value()?.items ?? []), ...this.older()]);
  protected readonly emptyText = computed(() =>
    this.next()
      ? 'None among the newest dead letters read so far: look further back.'
      : this.consumer()
        ? 'This consumer has set nothing aside.'
        : 'No dead letters: no consumer has given up on a message.',
  );
  protected readonly next = computed(() => (this.olderNext() === undefined ? (this.letters.value()?.next ?? null) : this.olderNext()));
  /** every consumer seen so far, for the filter (names carry the stack's namespace, so they are not known ahead) */
  protected readonly consumers = linkedSignal<DeadLetterDto[], string[]>({
    source: this.items,
    computation: (items, previous) => {
      const names = new Set(previous?.value ?? []);
      for (const d of items) if (d.consumer) names.add(d.consumer);
      return [...names].sort();
    },
  });

  protected readonly origin = originOf;
  protected readonly bytes = formatBytes;

  protected more(): void {
    const before = this.next();
    if (!before) return;
    this.api.list({ consumer: this.consumer() || undefined, limit: PAGE, before }).subscribe((page) => {
      this.older.update((o) => [...o, ...page.items]);
      this.olderNext.set(page.next ?? null);
    });
  }
}
