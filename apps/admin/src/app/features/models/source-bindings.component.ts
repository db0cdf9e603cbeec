import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import type { ModelSummaryDto, SourceBindingDto } from '@loglens/contracts';
import { debounceTime } from 'rxjs';
import { LiveEventsService } from '../../core/live-events.service';
import { SessionService } from '../../core/session.service';
import { SourcesData } from '../../core/data/sources.data';
import { formatAgo } from '../../shared/format';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import type { ActionResult } from '../../shared/actions/model-actions.service';
import { SourceActions } from '../../shared/actions/source-actions.service';

/**
 * Which model scores which source: the bindings table of the Models page, with bind / re-bind / unbind for keys that
 * may change things. Follows binding changes made elsewhere (events), and takes the models list from the page.
 */
@Component({
  selector: 'll-source-bindings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, MatButtonModule, LoadStateComponent],
  template: `
    <div class="head">
      <h2 class="section-title" id="bindings-title">Source bindings</h2>
      @if (session.canChange()) {
        <button mat-stroked-button type="button" (click)="bindNew()">Bind a source…</button>
      }
    </div>
    <p class="muted intro">
      A bound source's windows are scored by its model's serving version; every other source by its agent's
      default model.
    </p>
    <ll-load-state
      [state]="bindings.state()"
      [empty]="rows().length === 0"
      loadingText="Loading the bindings…"
      failedText="Could not load the source bindings."
      emptyText="No source is bound: every source is scored by its agent's default model."
      (retry)="bindings.reload()"
    />
    @if (outcome(); as o) {
      <div [class]="o.ok ? 'notice' : 'error-box'" role="alert">{{ o.message }}</div>
    }
    @if (rows().length > 0) {
      <div class="table-scroll">
        <table class="data-table" aria-labelledby="bindings-title">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Model</th>
              <th scope="col">Agent</th>
              <th scope="col">Bound by</th>
              <th scope="col">Since</th>
              @if (session.canChange()) {
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              }
            </tr>
          </thead>
          <tbody>
            @for (b of rows(); track b.source) {
              <tr class="binding-row" [attr.data-source]="b.source">
                <th scope="row">
                  <code>{{ b.source }}</code>
                </th>
                <td class="model">
                  <a [routerLink]="['/models', b.model]">{{ b.model }}</a>
                  @if (servingOf(b.model) === null) {
                    <div class="muted small">serves nothing: the default model scores it</div>
                  }
                </td>
                <td>{{ b.agent }}</td>
                <td>{{ b.boundBy }}</td>
                <td>
                  <time [attr.datetime]="b.boundAt" [title]="b.boundAt | date: 'medium'">{{
                    ago(b.boundAt)
                  }}</time>
                </td>
                @if (session.canChange()) {
                  <td class="actions">
                    <button
                      mat-button
                      type="button"
                      [attr.aria-label]="'Bind ' + b.source + ' to another model'"
                      (click)="rebind(b)"
                    >
                      Re-bind…
                    </button>
                    <button
                      mat-button
                      type="button"
                      [attr.aria-label]="'Unbind ' + b.source"
                      (click)="unbind(b)"
                    >
                      Unbind
                    </button>
                  </td>
                }
              </tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
      margin-top: 24px;
    }
    .head {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 12px;
    }
    .head h2 {
      flex: 1 1 auto;
    }
    .intro {
      margin-top: 0;
    }
    .small {
      font-size: 0.8em;
    }
    .actions {
      white-space: nowrap;
      text-align: right;
    }
  `,
})
export class SourceBindingsComponent {
  private readonly api = inject(SourcesData);
  private readonly actions = inject(SourceActions);
  protected readonly session = inject(SessionService);

  /** the registered models (the Models page's list), to pick from and to say what each serves */
  readonly models = input<readonly ModelSummaryDto[]>([]);

  protected readonly bindings = createLoader(() => this.api.bindings());
  protected readonly rows = computed(() =>
    [...(this.bindings.value() ?? [])].sort((a, b) => a.source.localeCompare(b.source)),
  );
  protected readonly outcome = signal<ActionResult | null>(null);

  constructor() {
    inject(LiveEventsService)
      .bindings.pipe(debounceTime(300), takeUntilDestroyed())
      .subscribe(() => this.bindings.reload());
  }

  protected servingOf(model: string): string | null {
    return this.models().find((m) => m.name === model)?.servingVersion ?? null;
  }

  protected ago(at: string): string {
    return formatAgo(at);
  }

  protected bindNew(): void {
    this.open(null);
  }

  protected rebind(b: SourceBindingDto): void {
    this.open(b.source);
  }

  protected unbind(b: SourceBindingDto): void {
    this.actions.unbind(b).subscribe((r) => this.done(r));
  }

  private open(source: string | null): void {
    const bound = Object.fromEntries(this.rows().map((b) => [b.source, b.model]));
    this.actions
      .bind({
        source,
        bound,
        models: this.models().map((m) => ({ name: m.name, serving: m.servingVersion })),
        sources: this.rows().map((b) => b.source),
      })
      .subscribe((r) => this.done(r));
  }

  private done(r: ActionResult | null): void {
    if (!r) return;
    // success is announced by the snackbar; only a failure stays on the page
    this.outcome.set(r.ok ? null : r);
    this.bindings.reload();
  }
}
