import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ApiError } from '../../core/api-error';
import { SessionService } from '../../core/session.service';
import { ExperimentCandidatesComponent } from './experiment-candidates.component';
import { ExperimentCanaryStepsComponent } from './experiment-canary-steps.component';
import { ExperimentCriteriaComponent } from './experiment-criteria.component';
import { EMPTY_EXPERIMENT_FORM, checkExperimentForm, type ExperimentFormValue } from './experiment-form';
import { patched, prefilled, withKind } from './experiment-form-edits';
import { ExperimentsData } from './experiments.data';
import { KINDS, KIND_LABELS, STICKINESS, STICKINESS_LABELS, type ExperimentKind } from './experiments.model';

const KIND_HELP: Record<ExperimentKind, string> = {
  ab: 'Splits the traffic between the control and up to four candidates at fixed weights, and recommends a winner; it never promotes on its own.',
  canary:
    'Sends a share of the traffic to one candidate, raises it every interval while the criteria hold, promotes it at the maximum weight and rolls it back after the allowed failed checks.',
  shadow:
    'Every caller is answered by the control; a share of the requests is also scored by the candidate off the reply path, to compare what the two flag.',
};

/**
 * Starts an experiment (operator and admin keys): kind, arms, stickiness, the canary's steps or the shadow's share,
 * and the criteria the candidate must hold to. Checked here as the gateway checks it; the gateway's refusal (a 409
 * when one already runs for the model, a control that is not serving) is shown as it says it.
 */
@Component({
  selector: 'll-experiment-create-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ExperimentCandidatesComponent,
    ExperimentCanaryStepsComponent,
    ExperimentCriteriaComponent,
  ],
  template: `
    <section class="page" aria-labelledby="new-experiment-title">
      <header class="page-header">
        <h1 id="new-experiment-title">New experiment</h1>
        <a mat-stroked-button routerLink="/experiments">All experiments</a>
      </header>
      @if (session.roleState().status === 'known' && !session.canChange()) {
        <div class="notice" role="status">
          Your key is a <strong>viewer</strong> key: it can read experiments but not start them. Use an
          operator or admin key (<a routerLink="/settings">Settings</a>).
        </div>
      } @else {
        @let v = value();
        @let e = errors();
        <form
          class="form"
          novalidate
          aria-label="Start an experiment"
          (submit)="$event.preventDefault(); submit()"
        >
          <mat-form-field>
            <mat-label>Model</mat-label>
            <input
              matInput
              required
              autocomplete="off"
              spellcheck="false"
              [value]="v.model"
              (input)="patch({ model: $any($event.target).value })"
            />
            @if (e['model']) {
              <mat-hint class="hint-error" role="alert">{{ e['model'] }}</mat-hint>
            }
          </mat-form-field>
          <div class="kind" role="group" aria-label="Kind">
            <mat-button-toggle-group
              [value]="v.kind"
              (change)="setKind($event.value)"
              aria-label="Kind of experiment"
            >
              @for (k of kinds; track k) {
                <mat-button-toggle [value]="k">{{ kindLabels[k] }}</mat-button-toggle>
              }
            </mat-button-toggle-group>
            <p class="muted">{{ kindHelp[v.kind] }}</p>
          </div>
          <mat-form-field>
            <mat-label>Control version</mat-label>
            <input
              matInput
              autocomplete="off"
              spellcheck="false"
              placeholder="the serving version"
              [value]="v.control"
              (input)="patch({ control: $any($event.target).value })"
            />
            @if (!e['control']) {
              <mat-hint
                >Empty: the version the model serves now (the only one the registry accepts).</mat-hint
              >
            }
            @if (e['control']) {
              <mat-hint class="hint-error" role="alert">{{ e['control'] }}</mat-hint>
            }
          </mat-form-field>

          <ll-experiment-candidates [value]="v" [errors]="e" (edit)="value.update($event)" />

          @if (v.kind === 'canary') {
            <ll-experiment-canary-steps [value]="v" [errors]="e" (edit)="value.update($event)" />
          }
          @if (v.kind === 'shadow') {
            <mat-form-field>
              <mat-label>Shadowed requests (%)</mat-label>
              <input
                matInput
                required
                inputmode="decimal"
                [value]="v.shadowPercent"
                (input)="patch({ shadowPercent: $any($event.target).value })"
              />
              @if (e['shadowPercent']) {
                <mat-hint class="hint-error" role="alert">{{ e['shadowPercent'] }}</mat-hint>
              }
            </mat-form-field>
          }

          <mat-form-field>
            <mat-label>Sticky by</mat-label>
            <mat-select [value]="v.stickiness" (selectionChange)="patch({ stickiness: $event.value })">
              <mat-option value="">Nothing (a draw per request)</mat-option>
              @for (s of stickiness; track s) {
                <mat-option [value]="s">{{ stickinessLabels[s] }}</mat-option>
              }
            </mat-select>
            <mat-hint>The same key always lands on the same arm while the weights stand.</mat-hint>
          </mat-form-field>

          <ll-experiment-criteria [value]="v" [errors]="e" (edit)="value.update($event)" />

          @if (e.form?.length) {
            <ul class="error-box problems" role="alert" aria-label="What to fix">
              @for (p of e.form; track p) {
                <li>{{ p }}</li>
              }
            </ul>
          }
          @if (refusal(); as r) {
            <div class="error-box" role="alert">
              <strong>The gateway refused the experiment{{ r.status ? ' (' + r.status + ')' : '' }}.</strong>
              <div>{{ r.message }}</div>
            </div>
          }
          <div class="submit-row">
            <button mat-flat-button type="submit" [disabled]="busy()">Start the experiment</button>
          </div>
        </form>
      }
    </section>
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      gap: 4px;
      max-width: 960px;
    }
    .form > mat-form-field {
      width: 360px;
      max-width: 100%;
    }
    .kind {
      margin-bottom: 8px;
    }
    .problems {
      margin: 8px 0;
      padding-left: 28px;
    }
    .submit-row {
      margin-top: 12px;
    }
    .hint-error {
      color: var(--mat-sys-error);
    }
  `,
})
export class ExperimentCreatePageComponent {
  private readonly api = inject(ExperimentsData);
  private readonly router = inject(Router);
  protected readonly session = inject(SessionService);

  protected readonly kinds = KINDS;
  protected readonly kindLabels = KIND_LABELS;
  protected readonly kindHelp = KIND_HELP;
  protected readonly stickiness = STICKINESS;
  protected readonly stickinessLabels = STICKINESS_LABELS;

  protected readonly value = signal<ExperimentFormValue>(EMPTY_EXPERIMENT_FORM);
  private readonly touched = signal(false);
  protected readonly busy = signal(false);
  protected readonly refusal = signal<{ status: number | null; message: string } | null>(null);
  private readonly check = computed(() => checkExperimentForm(this.value()));
  /** field errors, once the person tried to submit */
  protected readonly errors = computed(() => {
    const c = this.check();
    return this.touched() && !c.ok ? c.errors : {};
  });

  constructor() {
    // ?model=…&candidate=… : started from a version's page
    const q = inject(ActivatedRoute).snapshot.queryParamMap;
    this.value.update((v) => prefilled(v, q.get('model'), q.get('candidate')));
  }

  protected patch(change: Partial<ExperimentFormValue>): void {
    this.value.update(patched(change));
  }

  protected setKind(kind: ExperimentKind): void {
    this.value.update((v) => withKind(v, kind));
  }

  protected submit(): void {
    this.touched.set(true);
    this.refusal.set(null);
    const c = this.check();
    if (!c.ok || this.busy()) return;
    this.busy.set(true);
    this.api.create(c.body).subscribe({
      next: (created) => {
        this.busy.set(false);
        void this.router.navigate(['/experiments', created.id]);
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.refusal.set({
          status: err instanceof ApiError ? err.status : null,
          message: err instanceof Error ? err.message : String(err),
        });
      },
    });
  }
}
