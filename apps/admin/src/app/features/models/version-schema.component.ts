import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import type { ModelVersionDto } from '@loglens/contracts';
import { formatNumber, formatShape } from '../../shared/format';

interface SignatureRow {
  direction: 'input' | 'output';
  name: string;
  kind: string;
  elemType: string;
  shape: string;
  role: string;
}

interface MetricRow {
  name: string;
  value: string;
}

function signatureRows(v: ModelVersionDto): SignatureRow[] {
  const rows = (
    direction: SignatureRow['direction'],
    list: ModelVersionDto['signature']['inputs'],
  ): SignatureRow[] =>
    list.map((t) => ({
      direction,
      name: t.name,
      kind: t.kind,
      elemType: t.elemType ?? 'unknown',
      shape: formatShape(t.shape),
      role:
        direction === 'input' && t.name === v.inputName
          ? 'rows are fed here'
          : direction === 'output' && t.name === v.scoreOutput
            ? 'anomaly score'
            : '',
    }));
  return [...rows('input', v.signature.inputs), ...rows('output', v.signature.outputs)];
}

/** Flattens `metadata.metrics` (possibly nested, e.g. `{ test: { f1: 0.9 } }`) into `test.f1 = 0.9` rows. */
export function metricRows(metadata: Record<string, unknown>): MetricRow[] {
  const out: MetricRow[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') out.push({ name: path, value: formatNumber(value) });
    else if (typeof value === 'string' || typeof value === 'boolean')
      out.push({ name: path, value: String(value) });
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(metadata['metrics'], '');
  return out;
}

/** What a version takes and gives (its ONNX signature and feature schema) and what it was trained to: metrics, metadata. */
@Component({
  selector: 'll-version-schema',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatTableModule],
  template: `
    @let v = version();
    <h2 class="section-title" id="sig-title">Signature</h2>
    <div class="table-scroll">
      <table mat-table [dataSource]="signature()" aria-labelledby="sig-title">
        <ng-container matColumnDef="direction">
          <th mat-header-cell *matHeaderCellDef scope="col">In/out</th>
          <td mat-cell *matCellDef="let r">{{ r.direction }}</td>
        </ng-container>
        <ng-container matColumnDef="name">
          <th mat-header-cell *matHeaderCellDef scope="col">Name</th>
          <td mat-cell *matCellDef="let r">
            <code>{{ r.name }}</code>
          </td>
        </ng-container>
        <ng-container matColumnDef="type">
          <th mat-header-cell *matHeaderCellDef scope="col">Type</th>
          <td mat-cell *matCellDef="let r">{{ r.kind }}&lt;{{ r.elemType }}&gt;</td>
        </ng-container>
        <ng-container matColumnDef="shape">
          <th mat-header-cell *matHeaderCellDef scope="col">Shape</th>
          <td mat-cell *matCellDef="let r">
            <code>{{ r.shape }}</code>
          </td>
        </ng-container>
        <ng-container matColumnDef="role">
          <th mat-header-cell *matHeaderCellDef scope="col">Used as</th>
          <td mat-cell *matCellDef="let r">{{ r.role }}</td>
        </ng-container>
        <tr mat-header-row *matHeaderRowDef="signatureColumns"></tr>
        <tr mat-row *matRowDef="let row; columns: signatureColumns"></tr>
      </table>
    </div>

    <h2 class="section-title" id="features-title">
      Feature schema
      @if (v.featureSchema) {
        <span class="muted"
          >({{ v.featureSchema.features.length }} features, extractor {{ v.featureSchema.version }})</span
        >
      }
    </h2>
    @if (v.featureSchema && v.featureSchema.features.length > 0) {
      <div class="table-scroll">
        <table mat-table [dataSource]="v.featureSchema.features" aria-labelledby="features-title">
          <ng-container matColumnDef="index">
            <th mat-header-cell *matHeaderCellDef scope="col">#</th>
            <td mat-cell *matCellDef="let f; let i = index">{{ i }}</td>
          </ng-container>
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef scope="col">Name</th>
            <td mat-cell *matCellDef="let f">
              <code>{{ f.name }}</code>
            </td>
          </ng-container>
          <ng-container matColumnDef="dtype">
            <th mat-header-cell *matHeaderCellDef scope="col">Type</th>
            <td mat-cell *matCellDef="let f">{{ f.dtype }}</td>
          </ng-container>
          <ng-container matColumnDef="description">
            <th mat-header-cell *matHeaderCellDef scope="col">Description</th>
            <td mat-cell *matCellDef="let f">{{ f.description ?? '' }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="featureColumns"></tr>
          <tr mat-row *matRowDef="let row; columns: featureColumns"></tr>
        </table>
      </div>
    } @else {
      <p class="muted">
        No feature schema: rows are given as arrays in the model's input order, or as objects keyed by input
        name.
      </p>
    }

    <h2 class="section-title" id="metrics-title">Training metrics</h2>
    @if (metrics().length > 0) {
      <div class="table-scroll narrow">
        <table mat-table [dataSource]="metrics()" aria-labelledby="metrics-title">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef scope="col">Metric</th>
            <td mat-cell *matCellDef="let m">{{ m.name }}</td>
          </ng-container>
          <ng-container matColumnDef="value">
            <th mat-header-cell *matHeaderCellDef scope="col">Value</th>
            <td mat-cell *matCellDef="let m" class="num">{{ m.value }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="metricColumns"></tr>
          <tr mat-row *matRowDef="let row; columns: metricColumns"></tr>
        </table>
      </div>
    } @else {
      <p class="muted">The trainer recorded no metrics for this version.</p>
    }

    <h2 class="section-title">Metadata</h2>
    @if (metadataKeys(); as keys) {
      <details class="metadata">
        <summary>All metadata ({{ keys }})</summary>
        <pre>{{ metadataJson() }}</pre>
      </details>
    } @else {
      <p class="muted">No metadata was uploaded with this version.</p>
    }
  `,
  styles: `
    .narrow {
      max-width: 480px;
    }
    .num {
      font-variant-numeric: tabular-nums;
    }
    .metadata pre {
      overflow: auto;
      max-height: 400px;
      padding: 12px;
      background: var(--mat-sys-surface-container);
      border-radius: 8px;
    }
  `,
})
export class VersionSchemaComponent {
  readonly version = input.required<ModelVersionDto>();

  protected readonly signatureColumns = ['direction', 'name', 'type', 'shape', 'role'];
  protected readonly featureColumns = ['index', 'name', 'dtype', 'description'];
  protected readonly metricColumns = ['name', 'value'];

  protected readonly signature = computed(() => signatureRows(this.version()));
  protected readonly metrics = computed(() => metricRows(this.version().metadata ?? {}));
  protected readonly metadataKeys = computed(() => Object.keys(this.version().metadata ?? {}).join(', '));
  protected readonly metadataJson = computed(() => JSON.stringify(this.version().metadata ?? {}, null, 2));
}
