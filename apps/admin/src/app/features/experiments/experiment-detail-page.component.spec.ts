import { InteractivityChecker } from '@angular/cdk/a11y';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { ExperimentDto } from '@loglens/contracts/protocol';
import { API_KEY_STORAGE_KEY } from '../../core/api-key.store';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { ExperimentDetailPageComponent } from './experiment-detail-page.component';
import type { ExperimentReport } from './experiments.model';

const ID = '0b6c1c9e-8f0e-4c1a-9d59-0d6f3c2b1a00';
const experiment: ExperimentDto = {
  id: ID,
  model: 'wifi-anomaly',
  kind: 'canary',
  control: 'wifi-anomaly@1',
  candidates: [{ version: 'wifi-anomaly@2', weight: 10 }],
  stickiness: { key: 'header' },
  canary: { stepWeight: 40, maxWeight: 50, intervalSec: 60, failureThreshold: 2 },
  shadow: null,
  criteria: { maxErrorRate: 0.01, maxP99Ms: 500, minSamples: 200 },
  state: 'running',
  failedChecks: 1,
  steps: [
    {
      at: '2026-12-05T10:00:00Z',
      action: 'start',
      weights: { 'wifi-anomaly@2': 10 },
      actor: 'operator:oper…',
      reason: 'try the retrained one',
    },
  ],
  createdBy: 'operator:oper…',
  createdAt: '2026-12-05T10:00:00Z',
  updatedAt: '2026-12-05T10:00:00Z',
  endedAt: null,
};
const arm = (version: string, requests: number, anomalies: number) => ({
  version,
  requests,
  errors: 0,
  errorRate: 0,
  p50Ms: 3.2,
  p99Ms: 9.5,
  rows: requests,
  anomalies,
  anomalyRate: anomalies / requests,
  meanScore: 0.4,
  scoreHistogram: [],
  shadowErrors: 0,
  shadowDropped: 0,
});
const report: ExperimentReport = {
  experiment,
  arms: [arm('wifi-anomaly@1', 200, 30), arm('wifi-anomaly@2', 200, 50)],
  comparisons: [
    {
      version: 'wifi-anomaly@2',
      anomalyRate: {
        nA: 200,
        nB: 200,
        rateA: 0.15,
        rateB: 0.25,
        difference: 0.1,
        z: 2.5,
        pValue: 0.0124193,
        sequentialPValue: 0.238116,
      },
      errorRate: {
        nA: 200,
        nB: 200,
        rateA: 0,
        rateB: 0,
        difference: 0,
        z: 0,
        pValue: 1,
        sequentialPValue: 1,
      },
      latency: { nA: 200, nB: 200, u: 20_000, effect: 0.5, z: 0, pValue: 1 },
      agreement: {
        compared: 0,
        bothFlagged: 0,
        controlOnly: 0,
        candidateOnly: 0,
        agreement: 1,
        bothFlaggedShare: 0,
        flips: 0,
        flaggedOverlap: 1,
      },
      failed: [{ criterion: 'p99Ms', value: 812, limit: 500 }],
    },
  ],
  recommendation: {
    winner: 'wifi-anomaly@1',
    reason: 'every candidate fails a criterion or is significantly worse',
  },
  method: 'two-proportion z-test',
  alpha: 0.05,
};

describe('ExperimentDetailPageComponent', () => {
  let fixture: ComponentFixture<ExperimentDetailPageComponent>;
  let backend: HttpTestingController;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const button = (label: string) =>
    Array.from(page().querySelectorAll('button')).find((b) => b.textContent?.trim().startsWith(label)) as
      | HTMLButtonElement
      | undefined;

  async function open(
    role: 'viewer' | 'operator',
    shown: ExperimentDto = experiment,
    shownReport: ExperimentReport = report,
  ): Promise<void> {
    localStorage.setItem(API_KEY_STORAGE_KEY, `key-${role}`);
    TestBed.configureTestingModule({
      imports: [ExperimentDetailPageComponent],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        {
          provide: InteractivityChecker,
          useValue: { isFocusable: () => true, isTabbable: () => true, isVisible: () => true },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ExperimentDetailPageComponent);
    fixture.componentRef.setInput('id', ID);
    await fixture.whenStable();
    backend.expectOne('/api/v1/auth/whoami').flush({ role });
    backend.expectOne(`/model-management/experiments/${ID}`).flush(shown);
    backend.expectOne(`/model-management/experiments/${ID}/report`).flush(shownReport);
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
    document.querySelectorAll('.cdk-overlay-container').forEach((el) => el.remove());
  });

  it('shows the arms, the report worded for an operator, the failed criterion and the steps', async () => {
    await open('viewer');
    const text = page().textContent ?? '';
    expect(text).toContain('wifi-anomaly@2 10 % · wifi-anomaly@1 (control) 90 %');
    expect(text).toContain('+40 points every 60 s up to 50 %, rolled back after 2 failed checks');
    expect(text).toContain('1 failed check');
    expect(text).toContain(
      '25.0 % vs 15.0 % — not significant yet (n = 200 control, 200 candidate; +10.0 points, p = 0.238 always-valid, p = 0.012 single-look z-test)',
    );
    expect(text).toContain('fails: p99 latency 812 ms > 500 ms');
    expect(text).toContain(
      'Keep the control wifi-anomaly@1: every candidate fails a criterion or is significantly worse.',
    );
    const stepRows = Array.from(page().querySelectorAll('table[aria-label="Steps, oldest first"] tbody tr'));
    expect(
      stepRows.map((r) =>
        Array.from(r.querySelectorAll('td'))
          .slice(1)
          .map((td) => td.textContent?.trim())
          .join(' | '),
      ),
    ).toEqual(['start | wifi-anomaly@2 → 10 % | operator:oper… | try the retrained one']);
  });

  it('shows a shadow arm’s failed and dropped copies', async () => {
    const shadow: ExperimentDto = {
      ...experiment,
      kind: 'shadow',
      candidates: [{ version: 'wifi-anomaly@2', weight: 0 }],
      canary: null,
      shadow: { percent: 100 },
    };
    await open('viewer', shadow, {
      ...report,
      experiment: shadow,
      arms: [arm('wifi-anomaly@1', 200, 30), { ...arm('wifi-anomaly@2', 150, 40), shadowErrors: 3, shadowDropped: 47 }],
    });
    const table = page().querySelector('table') as HTMLTableElement;
    const headers = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent?.trim());
    expect(headers.slice(-2)).toEqual(['Shadow failures', 'Shadow copies dropped']);
    const candidate = Array.from(table.querySelectorAll('tbody tr'))[1];
    const cells = Array.from(candidate.querySelectorAll('td')).map((td) => td.textContent?.trim());
    expect(cells.at(-2)).toBe('3');
    expect(cells.at(-1)).toBe('47 (queue full: the shadow version scored fewer copies than sent)');
  });

  it('offers a viewer no action', async () => {
    await open('viewer');
    expect(page().querySelector('[aria-label="Experiment actions"]')).toBeNull();
    expect(button('Abort')).toBeUndefined();
  });

  it('lets an operator abort after the confirmation, sending the reason, and shows the new state', async () => {
    await open('operator');
    expect(button('Pause')).toBeDefined();
    expect(button('Promote')?.textContent).toContain('wifi-anomaly@2');
    button('Abort')?.click();
    await fixture.whenStable();
    const dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    expect(dialog.textContent).toContain('The control wifi-anomaly@1 answers all the traffic again');
    const reason = dialog.querySelector('textarea, input') as HTMLInputElement;
    reason.value = 'flags too much';
    reason.dispatchEvent(new Event('input'));
    (
      Array.from(dialog.querySelectorAll('button')).find(
        (b) => b.textContent?.trim() === 'Abort',
      ) as HTMLButtonElement
    ).click();
    await fixture.whenStable();
    const req = backend.expectOne(`/model-management/experiments/${ID}/abort`);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ reason: 'flags too much' });
    req.flush({
      ...experiment,
      state: 'aborted',
      updatedAt: '2026-12-05T10:05:00Z',
      endedAt: '2026-12-05T10:05:00Z',
      candidates: [{ version: 'wifi-anomaly@2', weight: 0 }],
    });
    backend.expectOne(`/model-management/experiments/${ID}/report`).flush(report);
    await fixture.whenStable();
    expect(page().querySelector('[data-testid="experiment-state"]')?.textContent).toBe('aborted');
    expect(page().querySelector('[aria-label="Experiment actions"]')).toBeNull();
  });

  it('shows the gateway’s refusal of an action', async () => {
    await open('operator');
    button('Pause')?.click();
    await fixture.whenStable();
    const dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    (
      Array.from(dialog.querySelectorAll('button')).find(
        (b) => b.textContent?.trim() === 'Pause',
      ) as HTMLButtonElement
    ).click();
    await fixture.whenStable();
    backend
      .expectOne(`/model-management/experiments/${ID}/pause`)
      .flush(
        { code: 'CONFLICT', message: `experiment ${ID} is rolled-back: it cannot be paused` },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')?.textContent).toContain('it cannot be paused');
  });
});
