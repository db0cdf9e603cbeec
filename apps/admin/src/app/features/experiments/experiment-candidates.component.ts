import { ChangeDetectionStrategy, Component, computed } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MAX_CANDIDATES, type CandidateField } from './experiment-form';
import { controlShare, withAddedCandidate, withCandidate, withoutCandidate } from './experiment-form-edits';
import { ExperimentFormSection, FORM_SECTION_STYLES } from './experiment-form-section';

/** The create form's candidates: a version and a weight each (no weight for a shadow), up to four for an A/B test. */
@Component({
  selector: 'll-experiment-candidates',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    @let v = value();
    @let e = errors();
    <fieldset>
      <legend>Candidates</legend>
      @for (c of v.candidates; track $index; let i = $index) {
        <div class="row">
          <mat-form-field>
            <mat-label>Candidate {{ i + 1 }} version</mat-label>
            <input
              matInput
              required
              autocomplete="off"
              spellcheck="false"
              [value]="c.version"
              (input)="patchCandidate(i, { version: $any($event.target).value })"
            />
            @if (e['candidate.' + i + '.version']) {
              <mat-hint class="hint-error" role="alert">{{ e['candidate.' + i + '.version'] }}</mat-hint>
            }
          </mat-form-field>
          @if (v.kind !== 'shadow') {
            <mat-form-field>
              <mat-label>{{ v.kind === 'canary' ? 'Starting weight (%)' : 'Weight (%)' }}</mat-label>
              <input
                matInput
                required
                inputmode="decimal"
                [value]="c.weight"
                (input)="patchCandidate(i, { weight: $any($event.target).value })"
              />
              @if (e['candidate.' + i + '.weight']) {
                <mat-hint class="hint-error" role="alert">{{ e['candidate.' + i + '.weight'] }}</mat-hint>
              }
            </mat-form-field>
          }
          @if (v.candidates.length > 1) {
            <button
              mat-button
              type="button"
              (click)="removeCandidate(i)"
              [attr.aria-label]="'Remove candidate ' + (i + 1)"
            >
              Remove
            </button>
          }
        </div>
      }
      @if (v.kind === 'ab' && v.candidates.length < maxCandidates) {
        <button mat-stroked-button type="button" (click)="addCandidate()">Add a candidate</button>
      }
      @if (v.kind !== 'shadow') {
        <p class="muted">The control answers the rest: {{ controlShare() }}.</p>
      }
    </fieldset>
  `,
  styles: FORM_SECTION_STYLES,
})
export class ExperimentCandidatesComponent extends ExperimentFormSection {
  protected readonly maxCandidates = MAX_CANDIDATES;
  protected readonly controlShare = computed(() => controlShare(this.value().candidates));

  protected patchCandidate(i: number, change: Partial<CandidateField>): void {
    this.edit.emit((v) => withCandidate(v, i, change));
  }

  protected addCandidate(): void {
    this.edit.emit(withAddedCandidate);
  }

  protected removeCandidate(i: number): void {
    this.edit.emit((v) => withoutCandidate(v, i));
  }
}
