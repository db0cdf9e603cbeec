import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { PredictReply } from '@loglens/contracts';
import { formatNumber } from '../../shared/format';
import { resultRows } from './predict-result';

/** A predict reply: which version scored how many rows, then a table of each row's score, verdict and outputs. */
@Component({
  selector: 'll-predict-result',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DecimalPipe, MatTableModule],
  template: `
    @let r = reply();
    <h2 class="section-title">Results</h2>
    <p class="summary">
      Scored {{ r.scores.length }} row{{ r.scores.length === 1 ? '' : 's' }} with
      <a [routerLink]="['/models', r.modelVersion]"
        ><code>{{ r.modelVersion }}</code></a
      >
      @if (r.threshold !== null) {
        · threshold {{ formatNumber(r.threshold) }} · <strong>{{ anomalyCount() }}</strong> anomal{{
          anomalyCount() === 1 ? 'y' : 'ies'
        }}
      } @else {
        · no threshold: scores only
      }
      <span class="muted">
        · worker {{ r.worker }} · queue {{ r.timings.queueMs | number: '1.0-2' }} ms · compute
        {{ r.timings.computeMs | number: '1.0-2' }} ms</span
      >
    </p>
    @if (results().length === 0) {
      <p class="muted">The model returned no scores.</p>
    } @else {
      <div class="table-scroll results">
        <table mat-table [dataSource]="results()" aria-label="Scores per row">
          <ng-container matColumnDef="index">
            <th mat-header-cell *matHeaderCellDef scope="col">Row</th>
            <td mat-cell *matCellDef="let row">{{ row.index }}</td>
          </ng-container>
          <ng-container matColumnDef="score">
            <th mat-header-cell *matHeaderCellDef scope="col">Score</th>
            <td mat-cell *matCellDef="let row" class="num">{{ row.score }}</td>
          </ng-container>
          <ng-container matColumnDef="anomaly">
            <th mat-header-cell *matHeaderCellDef scope="col">Verdict</th>
            <td mat-cell *matCellDef="let row">
              @if (row.anomaly === null) {
                <span class="muted">—</span>
              } @else {
                <span class="status-chip" [class.bad]="row.anomaly" [class.ok]="!row.anomaly">{{
                  row.anomaly ? 'anomaly' : 'normal'
                }}</span>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="outputs">
            <th mat-header-cell *matHeaderCellDef scope="col">Outputs</th>
            <td mat-cell *matCellDef="let row" class="outputs">{{ row.outputs }}</td>
          </ng-container>
          <tr mat-header-row *matHeaderRowDef="resultColumns"></tr>
          <tr mat-row *matRowDef="let row; columns: resultColumns"></tr>
        </table>
      </div>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    .outputs {
      font-size: 0.9em;
      overflow-wrap: anywhere;
    }
    .results {
      max-width: 960px;
      max-height: 480px;
      overflow-y: auto;
    }
    .num {
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class PredictResultComponent {
  readonly reply = input.required<PredictReply>();

  protected readonly formatNumber = formatNumber;
  protected readonly resultColumns = ['index', 'score', 'anomaly', 'outputs'];
  protected readonly results = computed(() => resultRows(this.reply()));
  protected readonly anomalyCount = computed(() => this.reply().isAnomaly?.filter(Boolean).length ?? 0);
}
