import { InteractivityChecker } from '@angular/cdk/a11y';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { ModelSummaryDto, ModelVersionDto } from '@loglens/contracts';
import { API_KEY_STORAGE_KEY } from '../../core/api-key.store';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { VersionDetailPageComponent, metricRows } from './version-detail-page.component';

const version: ModelVersionDto = {
  ref: 'hdfs-session-logreg@2',
  version: 2,
  status: 'loaded',
  sha256: 'b'.repeat(64),
  sizeBytes: 4096,
  createdAt: '2026-11-20T10:00:00Z',
  createdBy: 'trainer',
  model: 'hdfs-session-logreg',
  irVersion: 8,
  opsets: [{ domain: '', version: 17 }],
  producer: 'loglens-onnx-writer',
  signature: {
    inputs: [{ name: 'features', kind: 'tensor', elemType: 'float32', shape: ['N', 3] }],
    outputs: [{ name: 'score', kind: 'tensor', elemType: 'float32', shape: ['N', 1] }],
  },
  featureSchema: {
    version: 'hdfs-session-v1',
    features: [
      { name: 'event_count', dtype: 'float32' },
      { name: 'error_ratio', dtype: 'float32', description: 'share of WARN/ERROR lines' },
      { name: 'duration_s', dtype: 'float32' },
    ],
  },
  inputName: 'features',
  scoreOutput: 'score',
  threshold: 0.7,
  metadata: { metrics: { test: { f1: 0.91234, auc: 0.97 } }, trainedOn: 'HDFS_v1' },
  servingSince: null,
};

const summary: ModelSummaryDto = {
  name: 'hdfs-session-logreg',
  task: 'anomaly-detection',
  description: '',
  createdAt: '2026-11-01T10:00:00Z',
  servingVersion: 'hdfs-session-logreg@1',
  versions: [1, 2].map((n) => ({
    ref: `hdfs-session-logreg@${n}`,
    version: n,
    status: n === 1 ? ('serving' as const) : ('loaded' as const),
    sha256: 'a'.repeat(64),
    sizeBytes: 4096,
    createdAt: '2026-11-01T10:00:00Z',
    createdBy: 'trainer',
  })),
};

describe('VersionDetailPageComponent', () => {
  let fixture: ComponentFixture<VersionDetailPageComponent>;
  let backend: HttpTestingController;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const deployButton = (): HTMLButtonElement | undefined =>
    Array.from(page().querySelectorAll('button')).find((b) => b.textContent?.trim() === 'Deploy');

  async function open(role: 'viewer' | 'operator' | 'admin'): Promise<void> {
    localStorage.setItem(API_KEY_STORAGE_KEY, `key-${role}`);
    TestBed.configureTestingModule({
      imports: [VersionDetailPageComponent],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
        // jsdom fires no animationend, so a closing dialog would never report afterClosed
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        // jsdom lays nothing out, so every element looks invisible and the dialog's initial focus would be refused
        {
          provide: InteractivityChecker,
          useValue: { isFocusable: () => true, isTabbable: () => true, isVisible: () => true },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(VersionDetailPageComponent);
    fixture.componentRef.setInput('ref', version.ref);
    await fixture.whenStable();

    backend.expectOne('/api/v1/auth/whoami').flush({ role });
    backend.expectOne(`/api/v1/models/${encodeURIComponent(version.ref)}`).flush(version);
    backend.expectOne('/api/v1/models').flush({ models: [summary] });
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
    document.querySelectorAll('.cdk-overlay-container').forEach((el) => el.remove());
  });

  it('shows the signature, feature schema, threshold and metrics', async () => {
    await open('viewer');
    const text = page().textContent ?? '';
    expect(text).toContain('rows are fed here');
    expect(text).toContain('anomaly score');
    expect(text).toContain('[N, 3]');
    expect(text).toContain('share of WARN/ERROR lines');
    expect(text).toContain('0.7');
    expect(text).toContain('test.f1');
    expect(text).toContain('0.9123');
  });

  it('offers no Deploy button to a viewer key', async () => {
    await open('viewer');
    expect(deployButton()).toBeUndefined();
  });

  it('asks "Serve X instead of Y" before an operator deploys, then deploys', async () => {
    await open('operator');
    deployButton()!.click();
    await fixture.whenStable();

    const dialog = document.querySelector('mat-dialog-container');
    expect(dialog?.textContent?.replace(/\s+/g, ' ')).toContain(
      'Serve hdfs-session-logreg@2 instead of hdfs-session-logreg@1?',
    );
    Array.from(dialog!.querySelectorAll('button'))
      .find((b) => b.textContent?.trim() === 'Deploy')!
      .click();
    await fixture.whenStable();

    const deploy = backend.expectOne(`/api/v1/models/${encodeURIComponent(version.ref)}/deploy`);
    expect(deploy.request.method).toBe('POST');
    expect(deploy.request.headers.get('x-api-key')).toBe('key-operator');
    deploy.flush({
      model: summary.name,
      from: summary.servingVersion,
      to: version.ref,
      deployedAt: '2026-11-26T08:00:00Z',
    });
    await fixture.whenStable();

    // the page reloads to show the new serving version
    backend
      .expectOne(`/api/v1/models/${encodeURIComponent(version.ref)}`)
      .flush({ ...version, status: 'serving' });
    backend.expectOne('/api/v1/models').flush({ models: [{ ...summary, servingVersion: version.ref }] });
    await fixture.whenStable();
    expect(deployButton()!.disabled).toBe(true);
    expect(page().textContent).toContain('This version is serving now.');
  });
});

describe('metricRows', () => {
  it('flattens nested metrics and ignores metadata that is not metrics', () => {
    expect(metricRows({ metrics: { f1: 0.5, val: { auc: 0.9 } }, scaler: { mean: [1] } })).toEqual([
      { name: 'f1', value: '0.5' },
      { name: 'val.auc', value: '0.9' },
    ]);
    expect(metricRows({})).toEqual([]);
  });
});
