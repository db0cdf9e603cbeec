import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import type { Subscription } from 'rxjs';
import { SessionService } from '../../core/session.service';
import { createLoader } from '../../shared/loader';
import { DropZoneComponent } from '../../shared/drop-zone.component';
import { checkMetadata, checkModelFile, checkModelName } from './upload-form';
import { UploadProgressComponent } from './upload-progress.component';
import { UploadResultComponent } from './upload-result.component';
import { type UploadState, isBusy, stateOfError } from './upload-state';
import { UploadData } from './upload.data';

const METADATA_EXAMPLE = `{
  "description": "random forest on iris",
  "threshold": 0.5,
  "tags": ["nightly"]
}`;

@Component({
  selector: 'll-upload-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    DropZoneComponent,
    UploadProgressComponent,
    UploadResultComponent,
  ],
  template: `
    <section class="page" aria-labelledby="upload-title">
      <header class="page-header"><h1 id="upload-title">Upload a version</h1></header>

      @switch (session.roleState().status) {
        @case ('no-key') {
          <div class="notice" role="status">
            Uploading needs an operator or admin key. <a routerLink="/settings">Set one in Settings</a>.
          </div>
        }
        @case ('loading') {
          <p class="muted">Checking your key…</p>
        }
        @case ('error') {
          <div class="error-box" role="alert">
            Your key could not be checked. <a routerLink="/settings">Open Settings</a>.
          </div>
        }
        @case ('known') {
          @if (!session.canChange()) {
            <div class="notice" role="status">
              Your key is a <strong>viewer</strong> key: it can read models but not upload them. Use an
              operator or admin key (<a routerLink="/settings">Settings</a>).
            </div>
          } @else {
            <!-- novalidate: our own messages explain each missing piece, including the file the browser cannot check -->
            <form
              class="form"
              novalidate
              (submit)="$event.preventDefault(); submit()"
              aria-describedby="upload-help"
            >
              <p id="upload-help" class="muted">
                The file is validated on arrival (readable ONNX, opsets, no external data, outputs, a test
                inference in a worker). A version that fails is not stored; the report says why.
              </p>
              <mat-form-field class="name">
                <mat-label>Model name</mat-label>
                <input
                  matInput
                  required
                  autocomplete="off"
                  spellcheck="false"
                  list="known-models"
                  [value]="name()"
                  (input)="name.set($any($event.target).value.trim())"
                  aria-describedby="name-help"
                />
                <datalist id="known-models">
                  @for (m of knownModels(); track m) {
                    <option [value]="m"></option>
                  }
                </datalist>
                <!-- a plain input has no form control behind it, so mat-error would never show: the hint turns red -->
                <mat-hint
                  id="name-help"
                  [class.hint-error]="touched() && !!nameError()"
                  [attr.role]="touched() && nameError() ? 'alert' : null"
                  >{{ touched() && nameError() ? nameError() : nameHint() }}</mat-hint
                >
              </mat-form-field>

              <ll-drop-zone
                label="ONNX model file"
                hint="Drop the .onnx file here (max 100 MiB)."
                accept=".onnx,application/octet-stream"
                [required]="true"
                [(file)]="modelFile"
              />
              @if (touched() && fileError()) {
                <div class="field-error" role="alert">{{ fileError() }}</div>
              }
              <ll-drop-zone
                label="Scaler ONNX file"
                hint="A scaler applied to rows before the model, when it was exported separately."
                accept=".onnx,application/octet-stream"
                [(file)]="scalerFile"
              />

              <mat-form-field class="metadata" subscriptSizing="dynamic">
                <mat-label>Metadata (JSON, optional)</mat-label>
                <textarea
                  matInput
                  class="mono"
                  rows="6"
                  spellcheck="false"
                  [placeholder]="metadataExample"
                  [value]="metadata()"
                  (input)="metadata.set($any($event.target).value)"
                  aria-describedby="metadata-help"
                ></textarea>
                <mat-hint id="metadata-help"
                  >Keys the registry reads: featureSchema, threshold, inputName, scoreOutput, baseline,
                  metrics, tags, task, description, batching.</mat-hint
                >
              </mat-form-field>
              @if (metadataError()) {
                <div class="field-error" role="alert">{{ metadataError() }}</div>
              }
              <ll-drop-zone
                label="Metadata JSON file"
                hint="Or drop a metadata .json file to fill the field above."
                accept=".json,application/json"
                [(file)]="metadataFile"
              />

              <div class="submit-row">
                <button mat-flat-button type="submit" [disabled]="busy()">Upload and validate</button>
                @if (busy()) {
                  <button mat-button type="button" (click)="cancel()">Cancel</button>
                }
              </div>
            </form>

            <ll-upload-progress [state]="state()" />
            <ll-upload-result [state]="state()" />
          }
        }
      }
    </section>
  `,
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      gap: 12px;
      max-width: 760px;
    }
    .form p {
      margin: 0;
    }
    .name {
      max-width: 360px;
    }
    .metadata {
      width: 100%;
      margin-top: 8px;
    }
    .field-error {
      color: var(--mat-sys-error);
      margin-top: -6px;
    }
    .submit-row {
      display: flex;
      gap: 8px;
      margin-top: 8px;
    }
  `,
})
export class UploadPageComponent {
  private readonly api = inject(UploadData);
  protected readonly session = inject(SessionService);
  private pending?: Subscription;

  /** `?model=` preselects the model a new version is for */
  readonly model = input<string | undefined>();

  protected readonly metadataExample = METADATA_EXAMPLE;
  protected readonly name = linkedSignal(() => this.model() ?? '');
  protected readonly modelFile = signal<File | null>(null);
  protected readonly scalerFile = signal<File | null>(null);
  protected readonly metadata = signal('');
  protected readonly metadataFile = signal<File | null>(null);
  protected readonly touched = signal(false);
  protected readonly state = signal<UploadState>({ step: 'idle' });

  private readonly models = createLoader(() => this.api.models());
  protected readonly knownModels = computed(() => (this.models.value()?.models ?? []).map((m) => m.name));
  protected readonly nameError = computed(() => checkModelName(this.name()));
  protected readonly nameHint = computed(() => {
    const n = this.name();
    const m = this.models.value()?.models.find((x) => x.name === n);
    if (!n || this.nameError()) return 'An existing model gets a new version; a new name creates the model.';
    return m ? `A new version of ${n} (it has ${m.versions.length}).` : `Creates the model ${n}.`;
  });
  protected readonly fileError = computed(() => checkModelFile(this.modelFile()));
  protected readonly metadataError = computed(() => {
    const c = checkMetadata(this.metadata());
    return c.ok ? null : c.error;
  });
  protected readonly busy = computed(() => isBusy(this.state()));

  constructor() {
    inject(DestroyRef).onDestroy(() => this.pending?.unsubscribe());
    // a new file or name makes the last result stale
    effect(() => {
      this.modelFile();
      this.name();
      untracked(() => {
        if (!this.busy()) this.state.set({ step: 'idle' });
      });
    });
    // a dropped metadata file fills the text field, where it can still be edited
    effect(() => {
      const file = this.metadataFile();
      file?.text().then(
        (text) => this.metadata.set(text),
        () => this.metadata.set(''),
      );
    });
  }

  protected submit(): void {
    this.touched.set(true);
    const file = this.modelFile();
    if (this.busy() || this.nameError() || this.fileError() || this.metadataError() || !file) return;
    this.state.set({ step: 'uploading', loaded: 0, total: file.size + (this.scalerFile()?.size ?? 0) });
    this.pending?.unsubscribe();
    this.pending = this.api
      .upload(this.name(), { model: file, scaler: this.scalerFile(), metadata: this.metadata() })
      .subscribe({
        next: (state) => this.state.set(state),
        error: (err: unknown) => this.state.set(stateOfError(err)),
        // the reply came: the new version's model is now known
        complete: () => this.models.reload(),
      });
  }

  protected cancel(): void {
    this.pending?.unsubscribe();
    this.state.set({ step: 'idle' });
  }
}
