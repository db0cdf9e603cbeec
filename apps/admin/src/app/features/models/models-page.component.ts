import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import { ModelsData } from '../../core/data/models.data';
import { LiveEventsService } from '../../core/live-events.service';
import { SessionService } from '../../core/session.service';
import { IconComponent } from '../../shared/icon.component';
import { reloadOnLive } from '../../shared/live-reload';
import { LoadStateComponent } from '../../shared/load-state.component';
import { createLoader } from '../../shared/loader';
import { toRow } from './model-rows';
import { ModelsTableComponent } from './models-table.component';
import { SourceBindingsComponent } from './source-bindings.component';

/** How long a row stays highlighted after a live change. */
const CHANGED_MS = 6000;

@Component({
  selector: 'll-models-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    MatButtonModule,
    MatSlideToggleModule,
    IconComponent,
    LoadStateComponent,
    ModelsTableComponent,
    SourceBindingsComponent,
  ],
  template: `
    <section class="page" aria-labelledby="models-title">
      <header class="page-header">
        <h1 id="models-title">Models</h1>
        <mat-slide-toggle [checked]="showArchived()" (change)="showArchived.set($event.checked)"
          >Show archived versions</mat-slide-toggle
        >
        @if (session.canChange()) {
          <a mat-flat-button routerLink="/upload"
            ><ll-icon name="upload" class="btn-icon" /> Upload a version</a
          >
        }
        <button mat-stroked-button type="button" (click)="models.reload()">
          <ll-icon name="refresh" class="btn-icon" /> Refresh
        </button>
      </header>

      <ll-load-state
        [state]="models.state()"
        [empty]="rows().length === 0"
        loadingText="Loading models…"
        failedText="Could not load the models."
        [emptyText]="emptyText()"
        (retry)="models.reload()"
      />

      @if (rows().length > 0) {
        <ll-models-table [rows]="rows()" [changed]="changed()" />
      }

      <ll-source-bindings [models]="models.value()?.models ?? []" />
    </section>
  `,
})
export class ModelsPageComponent {
  private readonly api = inject(ModelsData);
  protected readonly session = inject(SessionService);

  protected readonly showArchived = signal(false);
  protected readonly models = createLoader(() => this.api.list());
  protected readonly rows = computed(() =>
    (this.models.value()?.models ?? []).map((m) => toRow(m, this.showArchived())),
  );
  protected readonly emptyText = computed(() =>
    this.session.canChange()
      ? 'No models are registered yet. Upload a version to create the first one.'
      : 'No models are registered yet. An operator can upload the first version.',
  );
  /** models changed by a live event a moment ago */
  protected readonly changed = signal<ReadonlySet<string>>(new Set());

  constructor() {
    reloadOnLive(this.models);
    inject(LiveEventsService)
      .events.pipe(takeUntilDestroyed())
      .subscribe((e) => {
        const model = e.data.model;
        this.changed.update((s) => new Set(s).add(model));
        setTimeout(() => this.changed.update((s) => new Set([...s].filter((m) => m !== model))), CHANGED_MS);
      });
  }
}
