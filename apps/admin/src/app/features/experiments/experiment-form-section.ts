import { Directive, input, output } from '@angular/core';
import type { ExperimentFormErrors, ExperimentFormValue } from './experiment-form';
import { patched, type FormEdit } from './experiment-form-edits';

/**
 * One section of the experiment form (candidates, canary steps, criteria): it shows the form's value and its field
 * errors, and emits its edits, which the page applies to its latest value.
 */
@Directive()
export abstract class ExperimentFormSection {
  readonly value = input.required<ExperimentFormValue>();
  /** an edit of the form's value, applied by the page to its latest value */
  readonly edit = output<FormEdit>();
  /** field errors, once the person tried to submit */
  readonly errors = input.required<ExperimentFormErrors>();

  protected patch(change: Partial<ExperimentFormValue>): void {
    this.edit.emit(patched(change));
  }
}

/** The sections' shared look: a bordered fieldset of wrapping rows of fields. */
export const FORM_SECTION_STYLES = `
  fieldset {
    border: 1px solid var(--mat-sys-outline-variant);
    border-radius: 8px;
    padding: 8px 16px 12px;
    margin: 8px 0;
  }
  legend {
    padding: 0 4px;
    font-weight: 600;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0 16px;
    align-items: baseline;
  }
  .row mat-form-field {
    width: 220px;
  }
  .hint-error {
    color: var(--mat-sys-error);
  }
`;
