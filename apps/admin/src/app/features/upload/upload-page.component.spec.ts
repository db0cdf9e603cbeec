import { HttpEventType, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ValidationReportDto } from '@loglens/contracts';
import { API_KEY_STORAGE_KEY } from '../../core/api-key.store';
import { apiErrorInterceptor, apiKeyInterceptor } from '../../core/api.interceptors';
import { UploadPageComponent } from './upload-page.component';

describe('UploadPageComponent', () => {
  let fixture: ComponentFixture<UploadPageComponent>;
  let backend: HttpTestingController;
  const page = (): HTMLElement => fixture.nativeElement as HTMLElement;

  async function open(role: 'viewer' | 'operator'): Promise<void> {
    localStorage.setItem(API_KEY_STORAGE_KEY, `key-${role}`);
    TestBed.configureTestingModule({
      imports: [UploadPageComponent],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor, apiKeyInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(UploadPageComponent);
    await fixture.whenStable();
    backend.expectOne('/api/v1/auth/whoami').flush({ role });
    backend.expectOne('/api/v1/models').flush({ models: [] });
    await fixture.whenStable();
  }

  async function fill(name: string, file: File): Promise<void> {
    const nameInput = page().querySelector('input[list="known-models"]') as HTMLInputElement;
    nameInput.value = name;
    nameInput.dispatchEvent(new Event('input'));
    const fileInput = page().querySelector(
      'input[type="file"][aria-label="ONNX model file"]',
    ) as HTMLInputElement;
    Object.defineProperty(fileInput, 'files', { value: [file] });
    fileInput.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }

  function submit(): void {
    Array.from(page().querySelectorAll('button'))
      .find((b) => b.textContent?.trim() === 'Upload and validate')!
      .click();
  }

  afterEach(() => {
    backend.verify();
    localStorage.clear();
  });

  it('tells a viewer key that uploading needs an operator, and shows no form', async () => {
    await open('viewer');
    expect(page().textContent).toContain('it can read models but not upload them');
    expect(page().querySelector('form')).toBeNull();
  });

  it('says what is missing instead of sending an incomplete form', async () => {
    await open('operator');
    submit();
    await fixture.whenStable();
    expect(page().textContent).toContain('Choose or drop the ONNX model file.');
    expect(page().textContent).toContain('Name the model the version belongs to.');
  });

  it('sends the multipart form, shows upload progress, then the validation report', async () => {
    await open('operator');
    await fill('iris', new File([new Uint8Array(100)], 'rf_iris.onnx'));
    const metadata = page().querySelector('textarea') as HTMLTextAreaElement;
    metadata.value = '{"threshold": 0.5}';
    metadata.dispatchEvent(new Event('input'));
    submit();
    await fixture.whenStable();

    const req = backend.expectOne('/model-management/models/iris/versions');
    expect(req.request.method).toBe('POST');
    expect(req.request.headers.get('x-api-key')).toBe('key-operator');
    const body = req.request.body as FormData;
    expect((body.get('model') as File).name).toBe('rf_iris.onnx');
    expect(body.get('metadata')).toBe('{"threshold": 0.5}');
    expect(body.has('scaler')).toBe(false);

    req.event({ type: HttpEventType.UploadProgress, loaded: 40, total: 100 });
    await fixture.whenStable();
    expect(page().textContent).toContain('40 %');
    req.event({ type: HttpEventType.UploadProgress, loaded: 100, total: 100 });
    await fixture.whenStable();
    expect(page().textContent).toContain('Validating on the server');

    const validation: ValidationReportDto = {
      ref: 'iris@1',
      outcome: 'pass',
      checks: [{ check: 'test-inference', outcome: 'pass', message: 'scored a zero row' }],
      serving: { tensorOutputs: ['label'], scoreOutput: 'label', fixedBatch: null },
      testInference: { latencyMs: 0.3, worker: 'worker-1' },
      validatedAt: '2026-11-26T08:00:00Z',
      validatedBy: 'operator:key-…',
    };
    req.flush(
      { version: { ref: 'iris@1', status: 'validated' }, duplicateOf: null, validation },
      { status: 201, statusText: 'Created' },
    );
    await fixture.whenStable();
    backend.expectOne('/api/v1/models').flush({ models: [] });
    await fixture.whenStable();
    expect(page().querySelector('h2')?.textContent).toContain('Registered iris@1');
    expect(page().querySelector('tr.check-row[data-check="test-inference"]')?.textContent).toContain('pass');
  });

  it('shows each failed check of a refused file (422)', async () => {
    await open('operator');
    await fill('broken', new File([new Uint8Array(10)], 'broken.onnx'));
    submit();
    await fixture.whenStable();
    backend.expectOne('/model-management/models/broken/versions').flush(
      {
        code: 'INVALID_MODEL',
        message: 'broken.onnx is not a usable model',
        details: [
          'fail: protobuf: The file is not a readable ONNX model: index out of range',
          'pass: limits: Sizes and counts are within the limits.',
        ],
        checks: [
          {
            check: 'protobuf',
            outcome: 'fail',
            message: 'The file is not a readable ONNX model: index out of range',
          },
          { check: 'limits', outcome: 'pass', message: 'Sizes and counts are within the limits.' },
        ],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await fixture.whenStable();
    expect(page().querySelector('[role="alert"]')?.textContent).toContain(
      'Refused: broken.onnx is not a usable model',
    );
    const row = page().querySelector('tr.check-row[data-check="protobuf"]');
    expect(row?.textContent).toContain('fail');
    expect(row?.textContent).toContain('not a readable ONNX model');
    // the rows come from the records, one per check, nothing parsed out of the lines
    expect(Array.from(page().querySelectorAll('tr.check-row')).map((r) => r.getAttribute('data-check'))).toEqual([
      'protobuf',
      'limits',
    ]);
    expect(page().querySelector('tr.check-row[data-check="limits"]')?.textContent).toContain('pass');
  });
});
