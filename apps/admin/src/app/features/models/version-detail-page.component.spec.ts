import { InteractivityChecker } from '@angular/cdk/a11y';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatTooltip } from '@angular/material/tooltip';
import { By } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import type {
  HistoryEntryDto,
  ModelSummaryDto,
  ModelVersionDto,
  ValidationReportDto,
} from '@loglens/contracts';
import { API_KEY_STORAGE_KEY } from '../../core/api-key.store';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { rollbackTarget } from './version-actions.component';
import { VersionDetailPageComponent } from './version-detail-page.component';
import { metricRows } from './version-schema.component';

const MODEL = 'hdfs-session-logreg';

function versionDto(
  n: number,
  status: ModelVersionDto['status'],
  extra: Partial<ModelVersionDto> = {},
): ModelVersionDto {
  return {
    ref: `${MODEL}@${n}`,
    version: n,
    status,
    sha256: 'b'.repeat(64),
    sizeBytes: 4096,
    createdAt: '2026-11-20T10:00:00Z',
    createdBy: 'operator:oper…',
    aliases: [],
    tags: [],
    archivedAt: null,
    validation: 'warn',
    model: MODEL,
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
    scalerSha256: null,
    ...extra,
  };
}

function summary(serving: number): ModelSummaryDto {
  return {
    name: MODEL,
    task: 'anomaly-detection',
    description: '',
    createdAt: '2026-11-01T10:00:00Z',
    owner: 'operator:oper…',
    servingVersion: `${MODEL}@${serving}`,
    aliases: { production: `${MODEL}@1` },
    versions: [1, 2].map((n) => {
      const { model: _m, ...rest } = versionDto(n, n === serving ? 'serving' : 'validated');
      return rest;
    }),
  };
}

const report: ValidationReportDto = {
  ref: `${MODEL}@2`,
  outcome: 'warn',
  checks: [
    { check: 'protobuf', outcome: 'pass', message: 'a readable ONNX model (IR 8)' },
    { check: 'outputs', outcome: 'warn', message: 'output "probabilities" is a ZipMap and is not served' },
    { check: 'test-inference', outcome: 'pass', message: 'scored a zero row in 1.2 ms' },
  ],
  serving: { tensorOutputs: ['score'], scoreOutput: 'score', fixedBatch: null },
  testInference: { latencyMs: 1.2, worker: 'worker-1' },
  validatedAt: '2026-11-20T10:00:01Z',
  validatedBy: 'operator:oper…',
};

function entry(
  seq: number,
  action: HistoryEntryDto['action'],
  from: number | null,
  to: number,
): HistoryEntryDto {
  return {
    id: `h${seq}`,
    seq,
    model: MODEL,
    kind: 'serving',
    alias: null,
    action,
    from: from === null ? null : `${MODEL}@${from}`,
    to: `${MODEL}@${to}`,
    actor: 'operator:oper…',
    reason: '',
    at: '2026-11-20T11:00:00Z',
  };
}

describe('VersionDetailPageComponent', () => {
  let fixture: ComponentFixture<VersionDetailPageComponent>;
  let backend: HttpTestingController;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;
  const button = (label: string, root: ParentNode = page()): HTMLButtonElement | undefined =>
    Array.from(root.querySelectorAll('button')).find((b) => b.textContent?.trim() === label);
  const dialog = (): HTMLElement => document.querySelector('mat-dialog-container') as HTMLElement;
  /** the reason a button's tooltip gives (what a person sees on hover or focus) */
  const tooltipOf = (label: string): string | undefined =>
    fixture.debugElement
      .queryAll(By.directive(MatTooltip))
      .find((d) => (d.nativeElement as HTMLElement).textContent?.trim() === label)
      ?.injector.get(MatTooltip).message;
  const enc = encodeURIComponent;

  async function open(
    role: 'viewer' | 'operator' | 'admin',
    v: ModelVersionDto,
    opts: { serving?: number; history?: HistoryEntryDto[]; validation?: ValidationReportDto | null } = {},
  ): Promise<void> {
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
    fixture.componentRef.setInput('ref', v.ref);
    await fixture.whenStable();

    backend.expectOne(`/api/v1/models/${enc(v.ref)}`).flush(v);
    const validation = backend.expectOne(`/model-management/${enc(v.ref)}/validation`);
    if (opts.validation === null) {
      validation.flush(
        { code: 'NOT_FOUND', message: 'no report yet' },
        { status: 404, statusText: 'Not Found' },
      );
    } else {
      validation.flush(opts.validation ?? report);
    }
    await fixture.whenStable();
    backend.expectOne('/api/v1/models').flush({ models: [summary(opts.serving ?? 1)] });
    backend.expectOne((r) => r.url === '/model-management/history').flush({ entries: opts.history ?? [] });
    await fixture.whenStable();
    // the sections render once the version is read: the action bar asks who we are, live metrics ask the workers
    backend.expectOne('/api/v1/auth/whoami').flush({ role });
    backend
      .expectOne('/model-management/performance')
      .flush(
        { code: 'NOT_FOUND', message: 'Cannot GET /model-management/performance' },
        { status: 404, statusText: 'Not Found' },
      );
    await fixture.whenStable();
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
    document.querySelectorAll('.cdk-overlay-container').forEach((el) => el.remove());
  });

  it('shows the signature, feature schema, threshold, metrics and the validation report per check', async () => {
    await open('viewer', versionDto(2, 'validated'));
    const text = page().textContent ?? '';
    expect(text).toContain('rows are fed here');
    expect(text).toContain('anomaly score');
    expect(text).toContain('[N, 3]');
    expect(text).toContain('share of WARN/ERROR lines');
    expect(text).toContain('0.7');
    expect(text).toContain('test.f1');
    expect(text).toContain('0.9123');
    expect(text).toContain('Validation passed with warnings.');
    const rows = Array.from(page().querySelectorAll('tr.check-row'));
    expect(
      rows.map((r) => [r.getAttribute('data-check'), r.querySelector('.outcome-chip')?.textContent?.trim()]),
    ).toEqual([
      ['protobuf', 'pass'],
      ['outputs', 'warn'],
      ['test-inference', 'pass'],
    ]);
  });

  it('says plainly when a version was never validated and when performance is not reported yet', async () => {
    await open('viewer', versionDto(2, 'registered'), { validation: null });
    expect(page().textContent).toContain('Not validated yet.');
    expect(page().textContent).toContain('does not report serving performance yet');
  });

  it('offers no change buttons to a viewer key', async () => {
    await open('viewer', versionDto(2, 'validated'));
    for (const label of ['Deploy', 'Load', 'Validate', 'Set alias…', 'Archive'])
      expect(button(label)).toBeUndefined();
    expect(page().querySelector('[aria-label="Actions on this version"]')).toBeNull();
    expect(page().textContent).toContain('viewer key');
  });

  it('asks "Serve X instead of Y" with a reason before an operator deploys, then deploys and reloads', async () => {
    const v = versionDto(2, 'validated');
    await open('operator', v);
    button('Deploy')!.click();
    await fixture.whenStable();

    expect(dialog().textContent?.replace(/\s+/g, ' ')).toContain(`Serve ${MODEL}@2 instead of ${MODEL}@1?`);
    expect(dialog().querySelector('.from')?.textContent).toBe(`${MODEL}@1`);
    expect(dialog().querySelector('.to')?.textContent).toBe(`${MODEL}@2`);
    const reason = dialog().querySelector('input') as HTMLInputElement;
    reason.value = 'better recall';
    reason.dispatchEvent(new Event('input'));
    button('Deploy', dialog())!.click();
    await fixture.whenStable();

    const deploy = backend.expectOne(`/model-management/${enc(v.ref)}/deploy`);
    expect(deploy.request.method).toBe('POST');
    expect(deploy.request.body).toEqual({ reason: 'better recall' });
    expect(deploy.request.headers.get('x-api-key')).toBe('key-operator');
    deploy.flush({ model: MODEL, from: `${MODEL}@1`, to: v.ref, deployedAt: '2026-11-26T08:00:00Z' });
    await fixture.whenStable();

    // the page reloads to show the new serving version
    backend.expectOne(`/api/v1/models/${enc(v.ref)}`).flush({ ...v, status: 'serving' });
    backend.expectOne(`/model-management/${enc(v.ref)}/validation`).flush(report);
    await fixture.whenStable();
    backend.expectOne('/api/v1/models').flush({ models: [summary(2)] });
    backend
      .expectOne((r) => r.url === '/model-management/history')
      .flush({ entries: [entry(2, 'deploy', 1, 2)] });
    await fixture.whenStable();
    // greyed out with the reason, not hidden
    expect(button('Deploy')?.getAttribute('aria-disabled')).toBe('true');
    expect(tooltipOf('Deploy')).toBe(`${MODEL}@2 is serving already`);
    expect(page().textContent).toContain('This version is serving now.');
    expect(button(`Roll back to ${MODEL}@1`)).toBeDefined();
  });

  it('rolls the serving version back to the one before it, with the reason', async () => {
    const v = versionDto(2, 'serving');
    await open('operator', v, {
      serving: 2,
      history: [entry(2, 'deploy', 1, 2), entry(1, 'deploy', null, 1)],
    });
    button(`Roll back to ${MODEL}@1`)!.click();
    await fixture.whenStable();
    expect(dialog().textContent).toContain(`Serve ${MODEL}@1 again instead of ${MODEL}@2?`);
    button('Roll back', dialog())!.click();
    await fixture.whenStable();

    const rollback = backend.expectOne('/model-management/rollback');
    expect(rollback.request.body).toEqual({ model: MODEL, to: `${MODEL}@1` });
    rollback.flush({ model: MODEL, from: v.ref, to: `${MODEL}@1`, deployedAt: '2026-11-26T08:00:00Z' });
    await fixture.whenStable();
    backend.expectOne(`/api/v1/models/${enc(v.ref)}`).flush({ ...v, status: 'retired' });
    backend.expectOne(`/model-management/${enc(v.ref)}/validation`).flush(report);
    await fixture.whenStable();
    backend.expectOne('/api/v1/models').flush({ models: [summary(1)] });
    backend.expectOne((r) => r.url === '/model-management/history').flush({ entries: [] });
    await fixture.whenStable();
  });

  it('explains a 403 instead of failing silently', async () => {
    const v = versionDto(2, 'loaded');
    await open('operator', v);
    button('Unload')!.click();
    await fixture.whenStable();
    expect(dialog().textContent).toContain('Release');
    button('Unload', dialog())!.click();
    await fixture.whenStable();
    backend
      .expectOne(`/api/v1/models/${enc(v.ref)}/unload`)
      .flush(
        { code: 'FORBIDDEN', message: 'this action needs the operator role; the key has viewer' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    backend.expectOne(`/api/v1/models/${enc(v.ref)}`).flush(v);
    backend.expectOne(`/model-management/${enc(v.ref)}/validation`).flush(report);
    await fixture.whenStable();
    backend.expectOne('/api/v1/models').flush({ models: [summary(1)] });
    backend.expectOne((r) => r.url === '/model-management/history').flush({ entries: [] });
    await fixture.whenStable();
    const alert = page().querySelector('.action-error[role="alert"]');
    expect(alert?.textContent).toContain('needs the operator role');
    expect(alert?.textContent).toContain('higher role');
  });

  it('enables only the actions the lifecycle table allows, and gives the registry reason for the others', async () => {
    await open('operator', versionDto(2, 'invalid', { validation: 'fail' }));
    const enabled = (label: string): boolean => button(label)?.getAttribute('aria-disabled') !== 'true';
    expect(
      ['Deploy', 'Load', 'Unload', 'Validate', 'Set alias…', 'Tags…', 'Archive'].map((l) => [l, enabled(l)]),
    ).toEqual([
      ['Deploy', false],
      ['Load', false],
      ['Unload', false],
      ['Validate', true],
      ['Set alias…', false],
      ['Tags…', true],
      ['Archive', true],
    ]);
    expect(tooltipOf('Deploy')).toBe(`${MODEL}@2 failed validation (status invalid) and cannot be deployed`);
    expect(tooltipOf('Load')).toBe(`${MODEL}@2 failed validation and cannot be loaded`);
    expect(tooltipOf('Set alias…')).toBe(`${MODEL}@2 failed validation: an alias cannot point at it`);
    expect(page().textContent).toContain('failed validation (status invalid) and cannot be deployed');
    // a click on a greyed-out button calls nothing
    button('Deploy')!.click();
    await fixture.whenStable();
    expect(document.querySelector('mat-dialog-container')).toBeNull();
  });
});

describe('rollbackTarget', () => {
  it('is the version that served before the current one, as the registry computes it', () => {
    expect(rollbackTarget([entry(2, 'deploy', 1, 2), entry(1, 'deploy', null, 1)], `${MODEL}@2`)).toBe(
      `${MODEL}@1`,
    );
    expect(rollbackTarget([entry(1, 'deploy', null, 1)], `${MODEL}@1`)).toBeNull();
    // the latest serving change is not what serves now: the registry would refuse, so the console offers nothing
    expect(rollbackTarget([entry(2, 'deploy', 1, 2)], `${MODEL}@1`)).toBeNull();
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
