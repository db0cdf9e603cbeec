import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { CheckOutcome, ValidationCheckDto, ValidationReportDto } from '@loglens/contracts';
import { formatMs } from './format';
import { IconComponent } from './icon.component';

/** What the report table needs: a full report, or the failed checks of a refused upload. */
export interface ReportView {
  outcome: CheckOutcome;
  checks: ValidationCheckDto[];
  serving?: ValidationReportDto['serving'];
  testInference?: ValidationReportDto['testInference'];
  validatedAt?: string;
  validatedBy?: string;
}

const CHECK_LABELS: Record<string, string> = {
  limits: 'Sizes and counts within limits',
  protobuf: 'Readable ONNX file',
  'ir-opsets': 'IR version and opsets',
  'external-data': 'No external data',
  'custom-ops': 'Known operators only',
  'feature-schema': 'Feature schema fits the input',
  'input-size': 'Input size within limits',
  outputs: 'Outputs',
  'batch-dimension': 'Batch dimension',
  scaler: 'Scaler',
  sandbox: 'Test inference in a sandbox',
  'test-inference': 'Test inference in a worker',
};

const OUTCOME_TEXT: Record<CheckOutcome, string> = { pass: 'pass', warn: 'warn', fail: 'fail' };

/** A refused upload (422) carries its checks as records (`checks` of the error body): the report of a refused file. */
export function refusedReport(checks: ValidationCheckDto[]): ReportView {
  return { outcome: 'fail', checks };
}

@Component({
  selector: 'll-validation-report',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, IconComponent],
  template: `
    @let r = report();
    <div class="summary outcome-{{ r.outcome }}" role="status">
      <ll-icon [name]="r.outcome" />
      <strong>{{ headline() }}</strong>
      <span>{{ counts() }}</span>
      @if (r.validatedAt) {
        <span class="when"
          >{{ r.validatedAt | date: 'medium' }}{{ r.validatedBy ? ' by ' + r.validatedBy : '' }}</span
        >
      }
    </div>
    <div class="table-scroll">
      <table class="checks" [attr.aria-label]="label()">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">Finding</th>
          </tr>
        </thead>
        <tbody>
          @for (c of r.checks; track $index) {
            <tr class="check-row" [attr.data-check]="c.check">
              <th scope="row">
                {{ labelOf(c.check) }}
                @if (c.check) {
                  <code class="muted">{{ c.check }}</code>
                }
              </th>
              <td>
                <span class="outcome-chip outcome-{{ c.outcome }}"
                  ><ll-icon [name]="c.outcome" />{{ outcomeText[c.outcome] }}</span
                >
              </td>
              <td class="message">{{ c.message }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
    @if (r.serving || r.testInference) {
      <p class="decisions muted">
        @if (r.serving; as s) {
          Serves tensor outputs <code>{{ s.tensorOutputs.join(', ') || 'none' }}</code
          >; score from <code>{{ s.scoreOutput ?? 'none' }}</code
          >{{ s.fixedBatch !== null ? '; fixed batch of ' + s.fixedBatch : '' }}.
        }
        @if (r.testInference; as t) {
          Test inference took {{ formatMs(t.latencyMs) }} in {{ t.worker }}.
        }
      </p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .summary {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 10px;
      padding: 10px 14px;
      border-radius: 8px;
      margin-bottom: 8px;
    }
    .summary ll-icon {
      width: 20px;
      height: 20px;
    }
    .when {
      margin-left: auto;
      opacity: 0.85;
    }
    .outcome-pass {
      background: #c8ecd0;
      color: #0b4d1d;
    }
    .outcome-warn {
      background: #ffe3b3;
      color: #5c3b00;
    }
    .outcome-fail {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .checks {
      width: 100%;
      border-collapse: collapse;
    }
    .checks th,
    .checks td {
      text-align: left;
      vertical-align: top;
      padding: 8px 12px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .checks thead th {
      font: var(--mat-sys-title-small);
    }
    .checks tbody th {
      font-weight: 500;
      white-space: nowrap;
    }
    .checks tbody th code {
      display: block;
      font-size: 0.78em;
    }
    .message {
      overflow-wrap: anywhere;
    }
    .outcome-chip {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      padding: 1px 8px 1px 4px;
      border-radius: 12px;
      font: var(--mat-sys-label-medium);
    }
    .outcome-chip ll-icon {
      width: 16px;
      height: 16px;
    }
    .decisions {
      margin: 8px 0 0;
    }
  `,
})
export class ValidationReportComponent {
  readonly report = input.required<ReportView>();
  readonly label = input('Validation checks');

  protected readonly outcomeText = OUTCOME_TEXT;
  protected readonly formatMs = formatMs;

  protected readonly headline = computed(() => {
    switch (this.report().outcome) {
      case 'pass':
        return 'Validation passed.';
      case 'warn':
        return 'Validation passed with warnings.';
      case 'fail':
        return 'Validation failed.';
    }
  });

  protected readonly counts = computed(() => {
    const checks = this.report().checks;
    const n = (o: CheckOutcome) => checks.filter((c) => c.outcome === o).length;
    return `${n('pass')} pass · ${n('warn')} warn · ${n('fail')} fail`;
  });

  protected labelOf(check: string): string {
    return CHECK_LABELS[check] ?? (check || 'Check');
  }
}
