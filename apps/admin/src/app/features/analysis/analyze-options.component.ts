import { ChangeDetectionStrategy, Component, model } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { AnalyzeAgent } from '@loglens/client';

/** Which agent analyzes the logs, and the optional source name for their records. */
@Component({
  selector: 'll-analyze-options',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    <div class="options">
      <mat-form-field>
        <mat-label>Agent</mat-label>
        <mat-select [value]="agent()" (selectionChange)="agent.set($event.value)">
          <mat-option value="auto">Auto (pick by content)</mat-option>
          <mat-option value="wifi">WiFi (hostapd, wpa_supplicant, dnsmasq)</mat-option>
          <mat-option value="base">Base (generic logs)</mat-option>
        </mat-select>
      </mat-form-field>
      <mat-form-field>
        <mat-label>Source (optional)</mat-label>
        <input
          matInput
          autocomplete="off"
          maxlength="64"
          [value]="source()"
          (input)="source.set($any($event.target).value.trim())"
          aria-describedby="source-help"
        />
        <mat-hint id="source-help">e.g. site1: names the records' source (letters, digits, _ or -)</mat-hint>
      </mat-form-field>
    </div>
  `,
  styles: `
    :host {
      display: block;
      width: 100%;
    }
    .options {
      display: flex;
      flex-wrap: wrap;
      gap: 0 16px;
      width: 100%;
    }
    .options mat-form-field {
      flex: 1 1 240px;
      max-width: 360px;
    }
  `,
})
export class AnalyzeOptionsComponent {
  readonly agent = model<AnalyzeAgent>('auto');
  /** trimmed as typed; checked when the page submits */
  readonly source = model('');
}
